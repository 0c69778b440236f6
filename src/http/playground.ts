import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

/**
 * The GraphQL playground: GraphiQL with the explorer plugin, one tab per example operation, and
 * result views beside the JSON (playground/views.js: a table of any list, a Vega-Lite chart of stats,
 * a Cytoscape.js graph of studios linked by deals). Served entirely from the project's own npm
 * dependencies (no CDN: it works with no internet): every library ships a UMD build that runs as a
 * plain script, so there is no bundling step.
 */

const dir = (pkg: string) => path.dirname(require.resolve(pkg));

/**
 * The one change made to a served library: graphiql-explorer (bundled in @graphiql/plugin-explorer
 * 3.2.6, pinned for this) renders no editor for list values; a list value renders the playground's
 * own (views.js, MediaGraphViews.explorerList). The browser test edits a list through it.
 */
const EXPLORER_LIST_HOOK = 'if(s){if(s.kind==="Variable")r=';
const withListEditor = (code: string) =>
  code.replace(EXPLORER_LIST_HOOK, 'if(s){if(s.kind==="ListValue")r=MediaGraphViews.explorerList(g,u,s,this.props.setArgValue);else if(s.kind==="Variable")r=');

const ASSETS: Record<string, { file: () => string; type: string; transform?: (code: string) => string }> = {
  'react.js': { file: () => path.join(dir('react'), 'umd', 'react.production.min.js'), type: 'text/javascript' },
  'react-dom.js': { file: () => path.join(dir('react-dom'), 'umd', 'react-dom.production.min.js'), type: 'text/javascript' },
  'graphiql.js': { file: () => path.join(dir('graphiql'), 'index.umd.js'), type: 'text/javascript' },
  'graphiql.css': { file: () => path.join(dir('graphiql'), 'style.css'), type: 'text/css' },
  'explorer.js': { file: () => path.join(dir('@graphiql/plugin-explorer'), 'index.umd.js'), type: 'text/javascript', transform: withListEditor },
  'explorer.css': { file: () => path.join(dir('@graphiql/plugin-explorer'), 'style.css'), type: 'text/css' },
  'vega.js': { file: () => path.join(dir('vega'), 'vega.min.js'), type: 'text/javascript' },
  'vega-lite.js': { file: () => path.join(dir('vega-lite'), 'vega-lite.min.js'), type: 'text/javascript' },
  'cytoscape.js': { file: () => path.join(dir('cytoscape'), 'cytoscape.min.js'), type: 'text/javascript' },
  'views.js': { file: () => path.join(__dirname, 'playground', 'views.js'), type: 'text/javascript' },
  'favicon.svg': { file: () => path.join(__dirname, 'playground', 'favicon.svg'), type: 'image/svg+xml' },
  'examples.graphql': { file: () => path.join(__dirname, '..', '..', 'schema', 'examples.graphql'), type: 'text/plain' },
};

const cache = new Map<string, { raw: Buffer; gzip: Buffer }>();

/** One playground asset as an answer (gzipped when the client takes it); undefined when `name` is not one. */
export async function playgroundAsset(name: string, acceptEncoding: string | undefined): Promise<{ body: Buffer; headers: Record<string, string> } | undefined> {
  const asset = ASSETS[name];
  if (!asset) return undefined;
  let body = cache.get(name);
  if (!body) {
    const file = await fs.promises.readFile(asset.file());
    const raw = asset.transform ? Buffer.from(asset.transform(file.toString('utf8'))) : file;
    body = { raw, gzip: gzipSync(raw) };
    cache.set(name, body);
  }
  const gzip = /\bgzip\b/.test(acceptEncoding ?? '');
  return {
    body: gzip ? body.gzip : body.raw,
    headers: {
      'content-type': `${asset.type}; charset=utf-8`,
      'cache-control': 'public, max-age=3600',
      vary: 'accept-encoding',
      ...(gzip ? { 'content-encoding': 'gzip' } : {}),
    },
  };
}

/** The result views' layout: a tab strip over GraphiQL's result, and the chosen view covering it. */
const STYLE = `
html, body, #playground { height: 100%; margin: 0; }
.mg-export { font-size: 10px; font-weight: 600; }
.graphiql-response { position: relative; box-sizing: border-box; padding-top: 30px; }
.mg-views { position: absolute; top: 0; right: 0; z-index: 5; font-size: 13px; }
.mg-views.mg-open { left: 0; bottom: 0; display: flex; flex-direction: column; background: hsl(var(--color-base)); }
.mg-tabs { display: flex; gap: 2px; justify-content: flex-end; padding: 4px 8px; }
.mg-tab { border: 1px solid hsla(var(--color-neutral), 0.2); background: none; border-radius: 4px; padding: 2px 10px; cursor: pointer; color: hsl(var(--color-neutral)); font: inherit; }
.mg-tab.mg-active { background: hsl(var(--color-primary)); border-color: hsl(var(--color-primary)); color: #fff; }
.mg-tab:disabled { opacity: 0.4; cursor: default; }
.mg-panel, .mg-table-view, .mg-chart-view, .mg-graph-view { flex: 1; min-height: 0; display: flex; flex-direction: column; }
.mg-bar { display: flex; flex-wrap: wrap; align-items: center; gap: 12px; padding: 4px 12px; color: hsl(var(--color-neutral)); }
.mg-bar select { font: inherit; max-width: 40ch; }
.mg-button { font: inherit; padding: 2px 10px; border-radius: 4px; border: 1px solid hsla(var(--color-neutral), 0.3); background: none; cursor: pointer; color: inherit; }
.mg-info { font-weight: 600; color: hsl(var(--color-primary)); }
.mg-scroll { flex: 1; overflow: auto; padding: 0 12px 12px; }
.mg-table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
.mg-table th { position: sticky; top: 0; background: hsl(var(--color-base)); text-align: left; cursor: pointer; white-space: nowrap; border-bottom: 2px solid hsla(var(--color-neutral), 0.3); padding: 4px 8px; }
.mg-table td { border-bottom: 1px solid hsla(var(--color-neutral), 0.12); padding: 3px 8px; max-width: 40ch; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.mg-table td.mg-num { text-align: right; }
.mg-chart, .mg-graph { flex: 1; min-height: 160px; margin: 0 12px 12px; position: relative; }
`;

/** The playground page. Its queries go to /graphql on the same origin. */
export function renderPlayground(): string {
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Media graph: GraphQL playground</title>
  <link rel="icon" href="/playground/favicon.svg" type="image/svg+xml">
  <link rel="stylesheet" href="/playground/graphiql.css">
  <link rel="stylesheet" href="/playground/explorer.css">
  <style>${STYLE}</style>
</head>
<body>
  <div id="playground">Loading the playground…</div>
  <script src="/playground/react.js"></script>
  <script src="/playground/react-dom.js"></script>
  <script src="/playground/graphiql.js"></script>
  <script src="/playground/explorer.js"></script>
  <script src="/playground/vega.js"></script>
  <script src="/playground/vega-lite.js"></script>
  <script src="/playground/cytoscape.js"></script>
  <script src="/playground/views.js"></script>
  <script>
    (async function () {
      var examples = await fetch('/playground/examples.graphql').then(function (r) { return r.ok ? r.text() : ''; }).catch(function () { return ''; });
      var endpoint = new URL('/graphql', location.href);
      var socket = new URL(endpoint.toString());
      socket.protocol = endpoint.protocol === 'https:' ? 'wss:' : 'ws:';
      // Subscriptions (dealAnnounced) run over graphql-ws on the same URL; the Headers tab's
      // Authorization travels as a connection parameter, since browsers cannot set WebSocket headers.
      // Answers also go to the result views (views.js), which show the active tab's latest one.
      var fetcher = MediaGraphViews.recordingFetcher(
        GraphiQL.createFetcher({ url: endpoint.toString(), subscriptionUrl: socket.toString(), enableIncrementalDelivery: false }),
      );
      // One tab per example operation, its comment first: the explorer edits one operation at a time.
      var tabs = examples ? MediaGraphViews.exampleTabs(examples) : [];
      // The explorer reprints the document on every click, which would drop the tab's comment: its
      // edits go to the editor with the leading comment kept.
      var explorer = GraphiQLPluginExplorer.explorerPlugin({ onEdit: MediaGraphViews.keepingComment });
      // What the editors hold, for the export buttons: the list the current operation asks for,
      // every row of it, as CSV or NDJSON (POST /graphql/export, with the Headers tab's key).
      var current = { query: examples || '{ studios { nodes { name slug } } }', variables: '', headers: '', operationName: null };
      function exportCurrent(format) {
        var headers = { 'content-type': 'application/json' };
        var variables = {};
        try {
          Object.assign(headers, JSON.parse(current.headers || '{}'));
          variables = current.variables.trim() ? JSON.parse(current.variables) : {};
        } catch (error) {
          alert('The headers or variables are not valid JSON: ' + error.message);
          return;
        }
        // The query editor's text as it is now (CodeMirror's own), else the last edit seen.
        var editor = MediaGraphViews.queryEditor();
        var query = editor ? editor.getValue() : current.query;
        fetch('/graphql/export', { method: 'POST', headers: headers, body: JSON.stringify({ query: query, variables: variables, operationName: current.operationName || undefined, format: format }) })
          .then(async function (response) {
            if (!response.ok) {
              var body = await response.json().catch(function () { return null; });
              alert('Export refused: ' + (body && body.errors ? body.errors.map(function (e) { return e.message; }).join('\\n') : response.status));
              return;
            }
            var name = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') || '');
            MediaGraphViews.saveBlob(await response.blob(), name ? name[1] : 'export.' + format);
          });
      }
      function exportButton(format, label) {
        return React.createElement('button', {
          key: format, type: 'button', className: 'graphiql-toolbar-button mg-export', 'aria-label': label, title: label,
          onClick: function () { exportCurrent(format); },
        }, format.toUpperCase());
      }
      ReactDOM.createRoot(document.getElementById('playground')).render(
        React.createElement(GraphiQL, {
          fetcher: fetcher,
          defaultQuery: '{ studios { nodes { name slug } } }',
          defaultTabs: tabs.length ? tabs : undefined,
          onTabChange: function (state) {
            var tab = state.tabs[state.activeTabIndex];
            // A tab's title is its operation's name (GraphiQL's "<untitled>" when it has none).
            if (tab) MediaGraphViews.setActiveOperation(tab.title && tab.title.charAt(0) !== '<' ? tab.title : '');
          },
          plugins: [explorer],
          defaultEditorToolsVisibility: true,
          onEditQuery: function (value) { current.query = value; },
          onEditVariables: function (value) { current.variables = value; },
          onEditHeaders: function (value) { current.headers = value; },
          onEditOperationName: function (name) { current.operationName = name; },
          toolbar: { additionalContent: [exportButton('csv', 'Export every row of this list as CSV'), exportButton('ndjson', 'Export every row of this list as NDJSON')] },
          isHeadersEditorEnabled: true,
          shouldPersistHeaders: false
        }, React.createElement(GraphiQL.Footer, null, React.createElement(MediaGraphViews.Views)))
      );
    })();
  </script>
</body>
</html>`;
}
