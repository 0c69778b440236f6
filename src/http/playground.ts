import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

/**
 * The GraphQL playground: GraphiQL with the explorer plugin, served entirely from the project's own
 * npm dependencies (no CDN: it works with no internet). GraphiQL 3's UMD build runs on React 18's
 * UMD build without a bundler.
 */

const dir = (pkg: string) => path.dirname(require.resolve(pkg));

const ASSETS: Record<string, { file: () => string; type: string }> = {
  'react.js': { file: () => path.join(dir('react'), 'umd', 'react.production.min.js'), type: 'text/javascript' },
  'react-dom.js': { file: () => path.join(dir('react-dom'), 'umd', 'react-dom.production.min.js'), type: 'text/javascript' },
  'graphiql.js': { file: () => path.join(dir('graphiql'), 'index.umd.js'), type: 'text/javascript' },
  'graphiql.css': { file: () => path.join(dir('graphiql'), 'style.css'), type: 'text/css' },
  'explorer.js': { file: () => path.join(dir('@graphiql/plugin-explorer'), 'index.umd.js'), type: 'text/javascript' },
  'explorer.css': { file: () => path.join(dir('@graphiql/plugin-explorer'), 'style.css'), type: 'text/css' },
  'examples.graphql': { file: () => path.join(__dirname, '..', '..', 'schema', 'examples.graphql'), type: 'text/plain' },
};

const cache = new Map<string, { raw: Buffer; gzip: Buffer }>();

/** One playground asset as an answer (gzipped when the client takes it); undefined when `name` is not one. */
export async function playgroundAsset(name: string, acceptEncoding: string | undefined): Promise<{ body: Buffer; headers: Record<string, string> } | undefined> {
  const asset = ASSETS[name];
  if (!asset) return undefined;
  let body = cache.get(name);
  if (!body) {
    const raw = await fs.promises.readFile(asset.file());
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

/** The playground page. Its queries go to /graphql on the same origin. */
export function renderPlayground(): string {
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Media graph: GraphQL playground</title>
  <link rel="stylesheet" href="/playground/graphiql.css">
  <link rel="stylesheet" href="/playground/explorer.css">
  <style>html, body, #playground { height: 100%; margin: 0; } .mg-export { font-size: 10px; font-weight: 600; }</style>
</head>
<body>
  <div id="playground">Loading the playground…</div>
  <script src="/playground/react.js"></script>
  <script src="/playground/react-dom.js"></script>
  <script src="/playground/graphiql.js"></script>
  <script src="/playground/explorer.js"></script>
  <script>
    (async function () {
      var examples = await fetch('/playground/examples.graphql').then(function (r) { return r.ok ? r.text() : ''; }).catch(function () { return ''; });
      var endpoint = new URL('/graphql', location.href);
      var socket = new URL(endpoint.toString());
      socket.protocol = endpoint.protocol === 'https:' ? 'wss:' : 'ws:';
      // Subscriptions (dealAnnounced) run over graphql-ws on the same URL; the Headers tab's
      // Authorization travels as a connection parameter, since browsers cannot set WebSocket headers.
      var fetcher = GraphiQL.createFetcher({ url: endpoint.toString(), subscriptionUrl: socket.toString() });
      var explorer = GraphiQLPluginExplorer.explorerPlugin();
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
        var editor = document.querySelector('.graphiql-query-editor .CodeMirror');
        var query = editor && editor.CodeMirror ? editor.CodeMirror.getValue() : current.query;
        fetch('/graphql/export', { method: 'POST', headers: headers, body: JSON.stringify({ query: query, variables: variables, operationName: current.operationName || undefined, format: format }) })
          .then(async function (response) {
            if (!response.ok) {
              var body = await response.json().catch(function () { return null; });
              alert('Export refused: ' + (body && body.errors ? body.errors.map(function (e) { return e.message; }).join('\\n') : response.status));
              return;
            }
            var name = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') || '');
            var link = document.createElement('a');
            link.href = URL.createObjectURL(await response.blob());
            link.download = name ? name[1] : 'export.' + format;
            link.click();
            setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
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
          defaultQuery: examples || '{ studios { nodes { name slug } } }',
          plugins: [explorer],
          defaultEditorToolsVisibility: true,
          onEditQuery: function (value) { current.query = value; },
          onEditVariables: function (value) { current.variables = value; },
          onEditHeaders: function (value) { current.headers = value; },
          onEditOperationName: function (name) { current.operationName = name; },
          toolbar: { additionalContent: [exportButton('csv', 'Export every row of this list as CSV'), exportButton('ndjson', 'Export every row of this list as NDJSON')] },
          isHeadersEditorEnabled: true,
          shouldPersistHeaders: false
        })
      );
    })();
  </script>
</body>
</html>`;
}
