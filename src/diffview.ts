/**
 * Show a decision-set diff in Lab's editor, read-only, without writing a file.
 */
import { MainAreaWidget } from '@jupyterlab/apputils';
import { CodeEditor, CodeEditorWrapper, IEditorServices } from '@jupyterlab/codeeditor';
import { textEditorIcon } from '@jupyterlab/ui-components';

import { diffToText } from './reducers';
import type { IDiffResult } from './tokens';

/**
 * A main-area widget holding a read-only editor with the diff, highlighted
 * as `text/x-diff`.
 */
export function createDiffWidget(
  editorServices: IEditorServices,
  diff: IDiffResult,
  title: string
): MainAreaWidget<CodeEditorWrapper> {
  const model = new CodeEditor.Model({ mimeType: 'text/x-diff' });
  model.sharedModel.setSource(diffToText(diff));
  const content = new CodeEditorWrapper({
    factory: editorServices.factoryService.newDocumentEditor,
    model,
    editorOptions: { config: { readOnly: true, lineNumbers: true } }
  });
  content.addClass('jp-AgilabLab-diff');
  const widget = new MainAreaWidget({ content });
  widget.id = `agilab-lab-diff-${diff.from}-${diff.to}`;
  widget.title.label = title;
  widget.title.icon = textEditorIcon;
  widget.title.closable = true;
  widget.disposed.connect(() => model.dispose());
  return widget;
}
