/**
 * Designer tab: the projects; each opens its design view in the main area.
 */
import React, { useState } from 'react';

import type { IDesignerModel } from '../tokens';
import { ErrorBanner, SectionHeader, Skeleton } from './common';

export function DesignerPanel(props: {
  model: IDesignerModel;
  onOpenDesign: (projectId: string) => void;
  onNewDesign: () => void;
}): JSX.Element {
  const { model } = props;
  const [name, setName] = useState('');
  const create = async () => {
    const project = await model.createProject(name.trim());
    if (project) {
      setName('');
      props.onOpenDesign(project.id);
    }
  };
  return (
    <div className="jp-AgilabLab-panel">
      <SectionHeader
        title="Designer"
        action={{ label: 'Refresh', onClick: () => void model.loadProjects() }}
      />
      <button className="jp-mod-styled jp-mod-accept" onClick={props.onNewDesign}>
        New design…
      </button>
      <form
        className="jp-AgilabLab-row"
        onSubmit={event => {
          event.preventDefault();
          if (name.trim() && !model.busy) {
            void create();
          }
        }}
      >
        <input
          className="jp-AgilabLab-input"
          aria-label="new project name"
          placeholder="new project name"
          value={name}
          onChange={event => setName(event.target.value)}
        />
        <button type="submit" className="jp-mod-styled" disabled={!name.trim() || model.busy}>
          Create
        </button>
      </form>
      <ErrorBanner message={model.error} />
      {!model.loaded && !model.error && <Skeleton label="Loading projects" />}
      {model.loaded && model.projects.length === 0 && (
        <p className="jp-AgilabLab-muted">No designs yet.</p>
      )}
      <ul className="jp-AgilabLab-list jp-AgilabLab-projects">
        {model.projects.map(project => (
          <li key={project.id}>
            <button
              className="jp-AgilabLab-run jp-AgilabLab-project"
              data-project={project.id}
              onClick={() => props.onOpenDesign(project.id)}
            >
              <span className="jp-AgilabLab-appName">{project.name}</span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
