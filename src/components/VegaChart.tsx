/**
 * A chart artifact rendered by Lab's own Vega renderer (the rendermime registry),
 * so no Vega code is bundled here.
 */
import type { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import { MimeModel } from '@jupyterlab/rendermime';
import { Widget } from '@lumino/widgets';
import React, { useEffect, useRef, useState } from 'react';

import { isRecord } from '../errors';
import type { IRunViewModel } from '../tokens';

/** The MIME type Lab renders a spec as: Vega-Lite by its `$schema` version, else Vega 5. */
export function chartMimeType(spec: unknown): string {
  const schema = isRecord(spec) && typeof spec.$schema === 'string' ? spec.$schema : '';
  const lite = /vega-lite\/v(\d+)/.exec(schema);
  if (lite) {
    return `application/vnd.vegalite.v${lite[1]}+json`;
  }
  return isRecord(spec) && 'mark' in spec
    ? 'application/vnd.vegalite.v5+json'
    : 'application/vnd.vega.v5+json';
}

export function VegaChart(props: {
  model: IRunViewModel;
  path: string;
  rendermime: IRenderMimeRegistry | null;
}): JSX.Element {
  const host = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let renderer: Widget | null = null;
    let live = true;
    (async () => {
      const spec = await props.model.artifactJson(props.path);
      const mime = chartMimeType(spec);
      if (!props.rendermime || !props.rendermime.mimeTypes.includes(mime)) {
        throw new Error(`this Lab has no renderer for ${mime}`);
      }
      const widget = props.rendermime.createRenderer(mime);
      renderer = widget;
      await widget.renderModel(new MimeModel({ data: { [mime]: spec as any } }));
      if (live && host.current) {
        Widget.attach(widget, host.current);
      }
    })().catch(reason => live && setError(String(reason?.message ?? reason)));
    return () => {
      live = false;
      renderer?.dispose();
    };
  }, [props.model, props.path, props.rendermime]);
  return (
    <figure className="jp-AgilabLab-chart" data-path={props.path}>
      <figcaption className="jp-AgilabLab-muted">{props.path}</figcaption>
      {error ? (
        <p className="jp-AgilabLab-muted">
          Chart not rendered ({error}).{' '}
          <a href={props.model.artifactUrl(props.path)} target="_blank" rel="noreferrer">
            Open the spec
          </a>
        </p>
      ) : (
        <div ref={host} className="jp-AgilabLab-chartHost" />
      )}
    </figure>
  );
}
