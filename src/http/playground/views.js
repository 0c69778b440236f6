/*
 * The playground's result views: the answer of the operation in the active tab as a table, a chart
 * or a graph, beside GraphiQL's JSON. A browser script (no modules, no build step): it runs on the
 * globals of the UMD builds the playground serves (React, vega, vegaLite, cytoscape) and exposes
 * `MediaGraphViews` for the page. Nothing here talks to the network: results come from the
 * playground's fetcher, as GraphiQL received them.
 */
(function () {
  'use strict';
  var h = React.createElement;
  var VIEWS = ['JSON', 'Table', 'Chart', 'Graph'];

  // ---- The latest answer of each operation, and which operation the active tab holds ----------

  var store = {
    results: {},
    active: null,
    listeners: new Set(),
    notify: function () {
      store.listeners.forEach(function (listener) { listener(); });
    },
    setResult: function (operation, result) {
      store.results[operation] = result;
      store.active = operation;
      store.notify();
    },
    setActive: function (operation) {
      if (store.active === operation) return;
      store.active = operation;
      store.notify();
    },
  };

  /** The names of the operations a document defines. */
  function operationNames(query) {
    var names = [];
    var pattern = /^[ \t]*(?:query|mutation|subscription)[ \t]+([A-Za-z_][A-Za-z0-9_]*)/gm;
    var match;
    while ((match = pattern.exec(query || ''))) names.push(match[1]);
    return names;
  }

  /**
   * A fetcher that hands every complete answer to the views, keyed by its operation's name. Right
   * after a tab switch GraphiQL 3 may still send the previous tab's operation name: when the
   * document does not define that name, its own single operation's name (or none) is sent instead.
   */
  function recordingFetcher(fetcher) {
    return function (params, options) {
      var names = operationNames(params.query);
      if (params.operationName && names.indexOf(params.operationName) < 0 && names.length <= 1) {
        params = Object.assign({}, params, { operationName: names[0] });
      }
      var out = fetcher(params, options);
      if (params.operationName !== 'IntrospectionQuery' && out && typeof out.then === 'function') {
        out.then(function (value) {
          if (value && typeof value === 'object' && !(Symbol.asyncIterator in value) && ('data' in value || 'errors' in value)) {
            store.setResult(params.operationName || '', value);
          }
        }, function () {});
      }
      return out;
    };
  }

  /** The committed examples as one tab each: its comment, then the operation. */
  function exampleTabs(text) {
    var lines = text.split('\n');
    var starts = [];
    lines.forEach(function (line, i) {
      if (/^(query|mutation|subscription)\b/.test(line)) {
        var start = i;
        while (start > 0 && lines[start - 1].charAt(0) === '#') start--;
        starts.push(start);
      }
    });
    return starts.map(function (start, k) {
      var end = k + 1 < starts.length ? starts[k + 1] : lines.length;
      return { query: lines.slice(start, end).join('\n').trim() + '\n' };
    });
  }

  // ---- Answers as rows: any list, nested single objects flattened -------------------------------

  function isObject(value) {
    return value !== null && typeof value === 'object' && !Array.isArray(value);
  }

  /** Items of a connection (nodes, or edges with their node's fields first), else null. */
  function connectionItems(value) {
    if (!isObject(value)) return null;
    if (Array.isArray(value.edges) && value.edges.every(function (e) { return isObject(e) && 'node' in e; })) {
      return value.edges.map(function (edge) {
        var row = Object.assign({}, isObject(edge.node) ? edge.node : { node: edge.node });
        Object.keys(edge).forEach(function (key) {
          if (key !== 'node' && key !== 'cursor') row[key] = edge[key];
        });
        return row;
      });
    }
    if (Array.isArray(value.nodes)) return value.nodes;
    return null;
  }

  /** Every list of objects in the answer that is not inside another list, with where it is. */
  function listsIn(data) {
    var found = [];
    (function walk(value, path) {
      var items = connectionItems(value);
      if (items) {
        found.push({ path: path, items: items });
        return;
      }
      if (Array.isArray(value)) {
        if (value.length && value.every(isObject)) found.push({ path: path, items: value });
        return;
      }
      if (isObject(value)) {
        Object.keys(value).forEach(function (key) { walk(value[key], path ? path + '.' + key : key); });
      }
    })(data, '');
    return found;
  }

  /** A list inside a cell: each item's values, items joined with " | ". */
  function joined(list) {
    return list
      .map(function (item) {
        if (!isObject(item)) return String(item);
        var flat = flatten(item);
        return Object.keys(flat).map(function (k) { return flat[k]; }).filter(function (v) { return v !== null && v !== ''; }).join(' ');
      })
      .join(' | ');
  }

  /** One row: nested single objects become `a.b` columns, lists and connections one joined cell. */
  function flatten(object, prefix, out) {
    out = out || {};
    prefix = prefix || '';
    Object.keys(object).forEach(function (key) {
      var value = object[key];
      var items = connectionItems(value);
      if (items) out[prefix + key] = joined(items);
      else if (Array.isArray(value)) out[prefix + key] = joined(value);
      else if (isObject(value)) flatten(value, prefix + key + '.', out);
      else out[prefix + key] = value === undefined ? null : value;
    });
    return out;
  }

  function tableOf(items) {
    var rows = items.map(function (item) { return isObject(item) ? flatten(item) : { value: item }; });
    var columns = [];
    rows.forEach(function (row) {
      Object.keys(row).forEach(function (key) {
        if (columns.indexOf(key) < 0) columns.push(key);
      });
    });
    return { columns: columns, rows: rows };
  }

  function numeric(value) {
    return typeof value === 'number' || (typeof value === 'string' && value.trim() !== '' && isFinite(Number(value)));
  }

  function compare(a, b) {
    if (a === b) return 0;
    if (a === null || a === undefined) return 1;
    if (b === null || b === undefined) return -1;
    if (numeric(a) && numeric(b)) return Number(a) - Number(b);
    return String(a).localeCompare(String(b));
  }

  function csvOf(columns, rows) {
    var cell = function (value) {
      if (value === null || value === undefined) return '';
      var text = String(value);
      return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
    };
    return [columns.map(cell).join(',')].concat(rows.map(function (row) { return columns.map(function (c) { return cell(row[c]); }).join(','); })).join('\r\n') + '\r\n';
  }

  /** Saves a blob as a download named `name` (the table's CSV, the toolbar's exports). */
  function saveBlob(blob, name) {
    var link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
  }

  function TableView(props) {
    var lists = props.lists;
    var chosen = React.useState(0);
    var sort = React.useState(null);
    var list = lists[Math.min(chosen[0], lists.length - 1)];
    var table = React.useMemo(function () { return tableOf(list.items); }, [list]);
    var rows = table.rows;
    if (sort[0]) {
      var by = sort[0];
      rows = rows.slice().sort(function (a, b) { return by.desc ? compare(b[by.column], a[by.column]) : compare(a[by.column], b[by.column]); });
    }
    var toolbar = h('div', { className: 'mg-bar' },
      lists.length > 1
        ? h('select', { 'aria-label': 'List shown', value: chosen[0], onChange: function (e) { chosen[1](Number(e.target.value)); sort[1](null); } },
            lists.map(function (l, i) { return h('option', { key: l.path, value: i }, l.path); }))
        : h('span', { className: 'mg-path' }, list.path),
      h('span', { className: 'mg-count' }, rows.length + (rows.length === 1 ? ' row' : ' rows')),
      h('button', { type: 'button', className: 'mg-button', onClick: function () { saveBlob(new Blob([csvOf(table.columns, rows)], { type: 'text/csv;charset=utf-8' }), (props.operation || 'table') + '.csv'); } }, 'Download CSV'));
    return h('div', { className: 'mg-table-view' }, toolbar,
      h('div', { className: 'mg-scroll' },
        h('table', { className: 'mg-table' },
          h('thead', null, h('tr', null, table.columns.map(function (column) {
            var current = sort[0] && sort[0].column === column ? sort[0] : null;
            return h('th', {
              key: column, scope: 'col', title: 'Sort by ' + column,
              'aria-sort': current ? (current.desc ? 'descending' : 'ascending') : 'none',
              onClick: function () { sort[1]({ column: column, desc: current ? !current.desc : false }); },
            }, column, current ? (current.desc ? ' \u25BC' : ' \u25B2') : '');
          }))),
          h('tbody', null, rows.map(function (row, i) {
            return h('tr', { key: i }, table.columns.map(function (column) {
              var value = row[column];
              return h('td', { key: column, className: numeric(value) ? 'mg-num' : undefined }, value === null || value === undefined ? '' : String(value));
            }));
          })))));
  }

  // ---- Stats answers as charts (Vega-Lite) -------------------------------------------------------

  var KEY_NUMBERS = ['year', 'quarter'];

  /** The stats lists of an answer (filmStats, dealStats), as tables with their keys and measures. */
  function statsIn(data) {
    return listsIn(data)
      .filter(function (l) { return /(^|\.)(filmStats|dealStats)$/.test(l.path); })
      .map(function (l) {
        var table = tableOf(l.items);
        var keys = table.columns.filter(function (c) {
          return KEY_NUMBERS.indexOf(c) >= 0 || !table.rows.every(function (r) { return r[c] === null || numeric(r[c]); });
        });
        var measures = table.columns.filter(function (c) { return keys.indexOf(c) < 0 && table.rows.some(function (r) { return numeric(r[c]); }); });
        return { path: l.path, table: table, keys: keys, measures: measures };
      })
      .filter(function (s) { return s.measures.length > 0; });
  }

  function isMoney(column) {
    return /usd/i.test(column);
  }

  function chartSpec(stats, measure) {
    var x = stats.keys[0];
    var series = stats.keys[1];
    var line = x === 'year' || x === 'quarter';
    var values = stats.table.rows.map(function (row) {
      return { x: x ? (row[x] === null ? '(none)' : String(row[x])) : 'all', s: series ? String(row[series]) : undefined, y: row[measure] === null || row[measure] === undefined ? null : Number(row[measure]) };
    });
    var whole = values.every(function (v) { return v.y === null || Number.isInteger(v.y); });
    var encoding = {
      x: { field: 'x', type: line ? 'ordinal' : 'nominal', title: x || 'all', sort: null, axis: { labelAngle: line ? 0 : -40, labelLimit: 140 } },
      y: { field: 'y', type: 'quantitative', title: isMoney(measure) ? measure + ' (USD)' : measure, axis: isMoney(measure) ? { format: '$.3~s' } : whole ? { format: '~s', tickMinStep: 1 } : { format: '~s' } },
      tooltip: [{ field: 'x', title: x || 'all' }].concat(series ? [{ field: 's', title: series }] : []).concat([{ field: 'y', title: measure, format: isMoney(measure) ? '$,.2f' : ',' }]),
    };
    if (series) encoding.color = { field: 's', type: 'nominal', title: series };
    if (series && !line) encoding.xOffset = { field: 's' };
    return {
      data: { values: values },
      mark: line ? { type: 'line', point: true } : { type: 'bar' },
      encoding: encoding,
      width: 'container',
      height: 'container',
      autosize: { type: 'fit', contains: 'padding' },
      config: { view: { stroke: null } },
    };
  }

  var quietLogger = {
    level: function () { return quietLogger; },
    error: function () { return quietLogger; },
    warn: function () { return quietLogger; },
    info: function () { return quietLogger; },
    debug: function () { return quietLogger; },
  };

  function ChartView(props) {
    var all = props.stats;
    var chosen = React.useState(0);
    var stats = all[Math.min(chosen[0], all.length - 1)];
    var measure = React.useState(null);
    var current = stats.measures.indexOf(measure[0]) >= 0 ? measure[0] : stats.measures[0];
    var box = React.useRef(null);
    React.useEffect(function () {
      var spec = vegaLite.compile(chartSpec(stats, current), { logger: quietLogger }).spec;
      var view = new vega.View(vega.parse(spec), { renderer: 'svg', container: box.current, hover: true, logLevel: vega.None });
      view.runAsync();
      window.mgChart = view;
      return function () { view.finalize(); };
    }, [stats, current]);
    return h('div', { className: 'mg-chart-view' },
      h('div', { className: 'mg-bar' },
        all.length > 1
          ? h('select', { 'aria-label': 'Stats shown', value: chosen[0], onChange: function (e) { chosen[1](Number(e.target.value)); } },
              all.map(function (s, i) { return h('option', { key: s.path, value: i }, s.path); }))
          : h('span', { className: 'mg-path' }, stats.path),
        h('label', null, 'Aggregate ',
          h('select', { 'aria-label': 'Aggregate charted', value: current, onChange: function (e) { measure[1](e.target.value); } },
            stats.measures.map(function (m) { return h('option', { key: m, value: m }, m); }))),
        h('span', { className: 'mg-count' }, stats.table.rows.length + ' groups')),
      h('div', { className: 'mg-chart', ref: box, 'data-groups': stats.table.rows.length }));
  }

  // ---- Studios linked by deals as a graph (Cytoscape.js) -----------------------------------------

  /** Studios and links of an answer: path steps, network and partners edges; null when none. */
  function graphOf(data) {
    var nodes = new Map();
    var edges = new Map();
    function node(studio, extra) {
      if (!isObject(studio) || !(studio.slug || studio.name)) return null;
      var id = studio.slug || studio.name;
      var known = nodes.get(id) || { id: id, label: studio.name || studio.slug, slug: studio.slug || null, kind: studio.kind || null, distance: null, classes: [] };
      if (extra && typeof extra.distance === 'number' && (known.distance === null || extra.distance < known.distance)) known.distance = extra.distance;
      if (studio.slug) known.slug = studio.slug;
      if (studio.kind) known.kind = studio.kind;
      if (extra && extra.path) known.classes.push('path');
      if (extra && extra.origin) known.classes.push('origin');
      nodes.set(id, known);
      return id;
    }
    function edge(from, to, label, classes) {
      if (!from || !to) return;
      var id = from + '\u2192' + to + ':' + label;
      var known = edges.get(id) || { id: id, source: from, target: to, label: label, classes: [] };
      classes.forEach(function (c) { if (known.classes.indexOf(c) < 0) known.classes.push(c); });
      edges.set(id, known);
    }
    function kinds(deals) {
      return Array.isArray(deals) ? deals.map(function (d) { return d && d.kind; }).filter(Boolean).join(', ') : '';
    }
    (function walk(value, onPath) {
      if (Array.isArray(value)) return value.forEach(function (v) { walk(v, onPath); });
      if (!isObject(value)) return;
      if (isObject(value.from) && isObject(value.to) && value.link) {
        var ownership = value.link !== 'DEAL';
        var label = ownership ? value.link.toLowerCase().replace('_', ' ') : (value.deal && value.deal.kind) || 'deal';
        edge(node(value.from, { path: onPath }), node(value.to, { path: onPath }), label, (ownership ? ['ownership'] : []).concat(onPath ? ['path'] : []));
      }
      ['network', 'partners'].forEach(function (key) {
        var connection = value[key];
        if (!isObject(connection) || !Array.isArray(connection.edges)) return;
        var origin = node(value, { origin: true, distance: 0 });
        connection.edges.forEach(function (e) {
          var target = node(e.node, { distance: typeof e.distance === 'number' ? e.distance : 1 });
          var direct = key === 'partners' || e.distance === 1;
          if (origin && target && direct && !(Array.isArray(e.path) && e.path.length)) edge(origin, target, kinds(e.deals) || 'deal', []);
        });
      });
      Object.keys(value).forEach(function (key) { walk(value[key], onPath || key === 'dealPath'); });
    })(data, false);
    if (!edges.size) return null;
    return { nodes: Array.from(nodes.values()), edges: Array.from(edges.values()) };
  }

  var KIND_COLOURS = { STUDIO: '#1c7ed6', CONGLOMERATE: '#ae3ec9', PRODUCTION_COMPANY: '#37b24d', DISTRIBUTOR: '#f59f00', FINANCIER: '#0ca678', EXHIBITOR: '#e64980' };

  function GraphView(props) {
    var graph = props.graph;
    var box = React.useRef(null);
    var info = React.useState(null);
    React.useEffect(function () {
      var path = graph.nodes.some(function (n) { return n.classes.indexOf('path') >= 0; });
      var rings = graph.nodes.some(function (n) { return n.distance !== null; });
      // A path top to bottom; a network in rings by distance from its studio; anything else by force.
      var layout = path
        ? { name: 'breadthfirst', directed: true, spacingFactor: 1.2, padding: 30 }
        : rings
          ? { name: 'concentric', padding: 40, minNodeSpacing: 70, concentric: function (n) { return 100 - (n.data('distance') === null ? 99 : n.data('distance')); }, levelWidth: function () { return 1; } }
          : { name: 'cose', animate: false, padding: 40 };
      var cy = cytoscape({
        container: box.current,
        elements: graph.nodes.map(function (n) { return { data: { id: n.id, label: n.label, slug: n.slug, kind: n.kind, distance: n.distance, colour: KIND_COLOURS[n.kind] || '#495057' }, classes: n.classes.join(' ') }; })
          .concat(graph.edges.map(function (e) { return { data: { id: e.id, source: e.source, target: e.target, label: e.label }, classes: e.classes.join(' ') }; })),
        style: [
          { selector: 'node', style: { label: 'data(label)', 'background-color': 'data(colour)', width: 22, height: 22, 'font-size': 11, 'text-valign': 'bottom', 'text-margin-y': 4, color: '#212529', 'text-background-color': '#fff', 'text-background-opacity': 0.8 } },
          { selector: 'node.origin', style: { width: 30, height: 30, 'border-width': 3, 'border-color': '#212529' } },
          { selector: 'node.path', style: { 'border-width': 3, 'border-color': '#e8590c' } },
          { selector: 'node:selected', style: { 'border-width': 4, 'border-color': '#1971c2' } },
          { selector: 'edge', style: { label: 'data(label)', width: 2, 'line-color': '#adb5bd', 'curve-style': 'bezier', 'font-size': 9, 'text-rotation': 'autorotate', color: '#495057', 'text-background-color': '#fff', 'text-background-opacity': 0.9, 'text-background-padding': 2 } },
          { selector: 'edge.ownership', style: { 'line-style': 'dashed', 'line-color': '#74b816', 'target-arrow-shape': 'triangle', 'target-arrow-color': '#74b816' } },
          { selector: 'edge.path', style: { width: 4, 'line-color': '#e8590c', 'target-arrow-color': '#e8590c' } },
        ],
        layout: layout,
        minZoom: 0.2,
        maxZoom: 1.5,
      });
      cy.on('tap', 'node', function (event) {
        var data = event.target.data();
        info[1]({ name: data.label, slug: data.slug, kind: data.kind });
      });
      cy.on('tap', function (event) {
        if (event.target === cy) info[1](null);
      });
      window.mgGraph = cy;
      return function () { cy.destroy(); };
    }, [graph]);
    return h('div', { className: 'mg-graph-view' },
      h('div', { className: 'mg-bar' },
        h('span', { className: 'mg-count' }, graph.nodes.length + ' studios, ' + graph.edges.length + ' links'),
        h('span', { className: 'mg-legend' }, 'drag nodes, scroll to zoom; dashed: ownership; orange: the path'),
        info[0] ? h('span', { className: 'mg-info', role: 'status' }, info[0].name + (info[0].slug ? ' (' + info[0].slug + ')' : '') + (info[0].kind ? ', ' + info[0].kind : '')) : null),
      h('div', { className: 'mg-graph', ref: box }));
  }

  // ---- The tab strip over the result, remembered per operation -----------------------------------

  function remembered(operation) {
    try {
      return localStorage.getItem('media-graph:view:' + operation) || 'JSON';
    } catch (e) {
      return 'JSON';
    }
  }

  function remember(operation, view) {
    try {
      localStorage.setItem('media-graph:view:' + operation, view);
    } catch (e) {
      /* private mode: not remembered */
    }
  }

  /**
   * The Docs pane follows the active tab: it opens on the root field its operation asks for
   * (`dealPath` for WandaToStx), with Query (or Mutation, Subscription) one step back.
   */
  function useDocsOnRootField(operation) {
    var hooks = GraphiQL.React;
    var docs = hooks.useExplorerContext();
    var schema = hooks.useSchemaContext().schema;
    React.useEffect(function () {
      if (!docs || !schema || operation === null) return;
      /** The operation's root type and field, once the editor holds the operation (null until then). */
      function rootOf() {
        var editor = queryEditor();
        try {
          var document = GraphiQL.GraphQL.parse(editor ? editor.getValue() : '');
          var definition = document.definitions.find(function (d) {
            return d.kind === 'OperationDefinition' && (!operation || (d.name && d.name.value === operation));
          });
          var type = definition && (definition.operation === 'mutation' ? schema.getMutationType() : definition.operation === 'subscription' ? schema.getSubscriptionType() : schema.getQueryType());
          var selection = definition && definition.selectionSet.selections.find(function (s) { return s.kind === 'Field'; });
          var field = type && selection && type.getFields()[selection.name.value];
          return field ? { type: type, field: field } : null;
        } catch (e) {
          return null; // a document being edited need not parse
        }
      }
      function show(root) {
        var top = docs.explorerNavStack[docs.explorerNavStack.length - 1];
        if (top && top.def === root.field) return;
        docs.reset();
        docs.push({ name: root.type.name, def: root.type });
        docs.push({ name: root.field.name, def: root.field });
      }
      // A tab switch can reach here before the editor shows the tab's document: look again for a
      // moment (every 50 ms, 2 s at most) rather than leave the pane on the previous operation.
      var attempts = 0;
      var timer = null;
      (function attempt() {
        var root = rootOf();
        if (root) return show(root);
        if (++attempts < 40) timer = setTimeout(attempt, 50);
      })();
      return function () {
        if (timer) clearTimeout(timer);
      };
    }, [operation, schema]);
  }

  function Views() {
    var tick = React.useState(0);
    React.useEffect(function () {
      var listener = function () { tick[1](function (n) { return n + 1; }); };
      store.listeners.add(listener);
      return function () { store.listeners.delete(listener); };
    }, []);
    var operation = store.active;
    useDocsOnRootField(operation);
    var result = operation === null ? undefined : store.results[operation];
    var data = result && result.data;
    var available = React.useMemo(function () {
      var lists = data ? listsIn(data) : [];
      var stats = data ? statsIn(data) : [];
      var graph = data ? graphOf(data) : null;
      return { lists: lists, stats: stats, graph: graph };
    }, [data]);
    var can = { JSON: true, Table: available.lists.length > 0, Chart: available.stats.length > 0, Graph: Boolean(available.graph) };
    var why = { Table: 'The answer holds no list.', Chart: 'The answer holds no filmStats or dealStats groups.', Graph: 'The answer holds no studios linked by deals (dealPath, network, partners).' };
    var wanted = operation === null ? 'JSON' : remembered(operation);
    var view = can[wanted] ? wanted : 'JSON';
    var choose = function (name) {
      remember(operation, name);
      tick[1](function (n) { return n + 1; });
    };
    return h('div', { className: 'mg-views' + (view === 'JSON' ? '' : ' mg-open') },
      h('div', { className: 'mg-tabs', role: 'tablist', 'aria-label': 'Result view' }, VIEWS.map(function (name) {
        return h('button', {
          key: name, type: 'button', role: 'tab', 'aria-selected': view === name, disabled: !can[name] || operation === null,
          title: can[name] ? 'Show the result as ' + (name === 'JSON' ? 'JSON' : 'a ' + name.toLowerCase()) : why[name],
          className: 'mg-tab' + (view === name ? ' mg-active' : ''),
          onClick: function () { choose(name); },
        }, name);
      })),
      view === 'JSON' ? null : h('div', { className: 'mg-panel', role: 'tabpanel', 'aria-label': view },
        view === 'Table' ? h(TableView, { key: operation, lists: available.lists, operation: operation })
        : view === 'Chart' ? h(ChartView, { key: operation, stats: available.stats })
        : h(GraphView, { key: operation, graph: available.graph })));
  }

  // ---- List arguments in the explorer -------------------------------------------------------------

  /**
   * The explorer (graphiql-explorer, inside @graphiql/plugin-explorer 3.2.6) has no editor for list
   * values: `groupBy: [YEAR, KIND]` shows ticked but cannot be changed, and logs "arg mismatch" on
   * every render. The playground serves it with one hook (playground.ts): a list value renders this.
   * Enum lists are a multiple choice; other lists a field of comma-separated values.
   */
  function ListField(props) {
    var graphql = props.graphql;
    var named = props.type;
    var items = props.value.values || [];
    var literal = function (item) {
      return item.kind === 'StringValue' ? JSON.stringify(item.value) : item.kind === 'Variable' ? '$' + item.name.value : String(item.value);
    };
    var text = React.useState(function () { return items.map(literal).join(', '); });
    if (graphql.isEnumType(named)) {
      var values = named.getValues();
      return h('select', {
        multiple: true,
        size: Math.min(6, values.length),
        'aria-label': 'List of ' + named.name + ' values',
        title: 'Ctrl-click (Cmd-click on a Mac) to choose several; the order is the list\'s',
        value: items.filter(function (v) { return v.kind === 'EnumValue'; }).map(function (v) { return v.value; }),
        style: { verticalAlign: 'top', fontSize: 'inherit' },
        onChange: function (event) {
          var picked = Array.prototype.map.call(event.target.selectedOptions, function (option) { return option.value; });
          props.setArgValue({ kind: 'ListValue', values: picked.map(function (v) { return { kind: 'EnumValue', value: v }; }) });
        },
      }, values.map(function (v) { return h('option', { key: v.name, value: v.name }, v.name); }));
    }
    var kind = named.name === 'Int' ? 'IntValue' : named.name === 'Float' ? 'FloatValue' : named.name === 'Boolean' ? 'BooleanValue' : 'StringValue';
    return h('input', {
      type: 'text',
      'aria-label': 'List of ' + named.name + ' values, comma-separated',
      value: text[0],
      style: { border: 'none', borderBottom: '1px solid #888', outline: 'none', width: Math.max(8, Math.min(40, text[0].length + 2)) + 'ch', fontSize: 'inherit' },
      onChange: function (event) {
        text[1](event.target.value);
        var parts = event.target.value.split(',').map(function (part) { return part.trim().replace(/^"(.*)"$/, '$1'); }).filter(function (part) { return part !== ''; });
        props.setArgValue({
          kind: 'ListValue',
          values: parts.map(function (part) { return kind === 'BooleanValue' ? { kind: kind, value: part === 'true' } : { kind: kind, value: part }; }),
        });
      },
    });
  }

  /** The query editor (CodeMirror 5, as GraphiQL 3 renders it). */
  function queryEditor() {
    var element = document.querySelector('.graphiql-query-editor .CodeMirror');
    return element && element.CodeMirror;
  }

  /** The explorer's edit, written to the editor after the comment lines the document starts with. */
  function keepingComment(printed) {
    var editor = queryEditor();
    if (!editor) return;
    var current = editor.getValue();
    var comment = (/^(?:[ \t]*#[^\n]*\n)+/.exec(current) || [''])[0];
    var next = comment + printed;
    if (next !== current) editor.setValue(next);
  }

  function explorerList(graphql, type, value, setArgValue) {
    return h(ListField, { graphql: graphql, type: type, value: value, setArgValue: setArgValue });
  }

  window.MediaGraphViews = {
    Views: Views,
    recordingFetcher: recordingFetcher,
    exampleTabs: exampleTabs,
    setActiveOperation: function (operation) { store.setActive(operation); },
    explorerList: explorerList,
    keepingComment: keepingComment,
    queryEditor: queryEditor,
    saveBlob: saveBlob,
  };
})();
