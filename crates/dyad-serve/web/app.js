// dyad dashboard: plain ES module, no build step. d3 and topojson are vendored UMD globals.
// Every view asks the server for an aggregate (places, days, edges, one page of events);
// the browser never holds more than a page of events.
/* global d3, topojson */

const QUAD = {
  1: { name: 'Verbal cooperation', color: '#2f9e44' },
  2: { name: 'Material cooperation', color: '#1971c2' },
  3: { name: 'Verbal conflict', color: '#f08c00' },
  4: { name: 'Material conflict', color: '#c92a2a' },
};
const FILTER_NAMES = ['actor', 'cameo', 'plover', 'quad_class', 'from', 'to', 'country', 'text'];
const PAGE = 50;

const $ = (selector) => document.querySelector(selector);
const el = (tag, attrs = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
};
const fmt = (n) => Number(n).toLocaleString('en');

/** Fetches JSON; throws an Error carrying the server's error message. */
async function api(path, options = {}) {
  const response = await fetch(path, options);
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    const message = body && body.error ? body.error.message : `${response.status} ${response.statusText}`;
    throw new Error(message);
  }
  return body;
}

// ---------------------------------------------------------------- filters and state

const state = {
  filters: {},
  cursor: null,
  generation: 0,
  world: null,
  projection: null,
};

function readForm() {
  const form = $('#filters');
  const filters = {};
  for (const name of FILTER_NAMES) {
    const value = form.elements[name].value.trim();
    if (value) filters[name] = name === 'country' ? value.toUpperCase() : value;
  }
  return filters;
}

function writeForm(filters) {
  const form = $('#filters');
  for (const name of FILTER_NAMES) form.elements[name].value = filters[name] || '';
}

function query(filters, extra = {}) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries({ ...filters, ...extra })) {
    if (value !== undefined && value !== null && value !== '') params.set(key, value);
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

function setFilter(changes) {
  writeForm({ ...readForm(), ...changes });
  applyFilters();
}

function applyFilters() {
  state.filters = readForm();
  const hash = `#/${query(state.filters)}`;
  if (location.hash !== hash) history.replaceState(null, '', hash);
  loadDashboard();
}

// ---------------------------------------------------------------- dashboard loading

async function loadDashboard() {
  const generation = ++state.generation;
  const filters = state.filters;
  const undated = { ...filters };
  delete undated.from;
  delete undated.to;
  document.body.dataset.state = 'loading';
  $('#filter-error').textContent = '';
  try {
    const [places, series, network, page] = await Promise.all([
      api(`/api/places${query(filters, { limit: 400 })}`),
      api(`/api/timeseries${query(undated)}`),
      api(`/api/network${query(filters, { limit: 40 })}`),
      api(`/api/events${query(filters, { limit: PAGE })}`),
    ]);
    if (generation !== state.generation) return; // a newer request superseded this one
    drawMap(places.places);
    drawTimeline(series.rows);
    drawNetwork(network);
    fillTable(page, false);
    const total = page.total ?? page.events.length;
    $('#summary').textContent = total === 0
      ? 'No event matches these filters.'
      : `${fmt(total)} event${total === 1 ? '' : 's'} match${total === 1 ? 'es' : ''} · ` +
        `${fmt(places.places.length)} places · ${fmt(network.nodes.length)} actors in the network`;
    document.body.dataset.total = String(total);
    document.body.dataset.state = 'ready';
  } catch (error) {
    if (generation !== state.generation) return;
    $('#filter-error').textContent = `Could not load: ${error.message}`;
    $('#summary').textContent = '';
    document.body.dataset.state = 'error';
  }
}

async function loadMore() {
  if (state.cursor === null) return;
  const button = $('#more');
  button.disabled = true;
  try {
    const page = await api(`/api/events${query(state.filters, { limit: PAGE, after_id: state.cursor })}`);
    fillTable(page, true);
  } catch (error) {
    $('#filter-error').textContent = `Could not load more: ${error.message}`;
  } finally {
    button.disabled = false;
  }
}

// ---------------------------------------------------------------- map

const MAP = { width: 960, height: 500 };

async function loadWorld() {
  const world = await api('/assets/countries-110m.json');
  state.world = topojson.feature(world, world.objects.countries);
}

function drawMap(places) {
  const container = $('#map');
  let svg = d3.select(container).select('svg');
  if (svg.empty()) {
    const projection = d3.geoNaturalEarth1().fitExtent(
      [[4, 4], [MAP.width - 4, MAP.height - 4]], { type: 'Sphere' });
    state.projection = projection;
    const path = d3.geoPath(projection);
    svg = d3.select(container).append('svg')
      .attr('viewBox', `0 0 ${MAP.width} ${MAP.height}`)
      .attr('aria-hidden', 'true');
    const world = svg.append('g').attr('class', 'world');
    world.append('path').attr('class', 'sphere').attr('d', path({ type: 'Sphere' }));
    world.append('path').attr('class', 'graticule').attr('d', path(d3.geoGraticule10()));
    if (state.world) {
      world.append('g').selectAll('path').data(state.world.features).join('path')
        .attr('class', 'country').attr('d', path)
        .append('title').text((d) => d.properties.name);
    }
    world.append('g').attr('class', 'markers');
    svg.call(d3.zoom().scaleExtent([1, 12]).on('zoom', (event) => {
      world.attr('transform', event.transform);
      world.selectAll('.marker').attr('r', (d) => d.radius / Math.sqrt(event.transform.k));
    }));
  }
  const projection = state.projection;
  const max = d3.max(places, (p) => p.count) || 1;
  const radius = d3.scaleSqrt().domain([0, max]).range([2.5, 24]);
  const data = places
    .map((p) => {
      const xy = projection([p.lon, p.lat]);
      const dominant = p.by_quad_class.indexOf(Math.max(...p.by_quad_class)) + 1;
      return { ...p, x: xy ? xy[0] : NaN, y: xy ? xy[1] : NaN, radius: radius(p.count), dominant };
    })
    .filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y))
    .sort((a, b) => b.count - a.count); // small circles on top of big ones
  const k = d3.zoomTransform(svg.node()).k || 1;
  svg.select('.markers').selectAll('circle')
    .data(data, (d) => `${d.name}|${d.lat}|${d.lon}`)
    .join('circle')
    .attr('class', 'marker')
    .attr('cx', (d) => d.x)
    .attr('cy', (d) => d.y)
    .attr('r', (d) => d.radius / Math.sqrt(k))
    .attr('fill', (d) => QUAD[d.dominant].color)
    .attr('data-place', (d) => d.name)
    .attr('data-count', (d) => d.count)
    .attr('data-country', (d) => d.country_code || '')
    .on('click', (event, d) => d.country_code && setFilter({ country: d.country_code }))
    .selectAll('title').data((d) => [d]).join('title')
    .text((d) => `${d.name}${d.country_code ? ` (${d.country_code})` : ''}: ${fmt(d.count)} events\n` +
      d.by_quad_class.map((n, i) => `${QUAD[i + 1].name}: ${fmt(n)}`).join('\n'));
  container.setAttribute('aria-label',
    data.length ? `Map: ${data.length} places; most events at ${data.slice(0, 3).map((d) => `${d.name} (${fmt(d.count)})`).join(', ')}`
      : 'Map: no place matches');
}

// ---------------------------------------------------------------- timeline

function drawTimeline(rows) {
  const container = $('#timeline');
  container.textContent = '';
  if (!rows.length) {
    container.append(el('p', { class: 'empty' }, 'No dated event matches.'));
    return;
  }
  const width = Math.max(320, container.clientWidth || 900);
  const height = width < 600 ? 150 : 170;
  const margin = { top: 8, right: 10, bottom: 22, left: 40 };
  const byDay = new Map();
  for (const row of rows) {
    if (!byDay.has(row.day)) byDay.set(row.day, { day: row.day, date: d3.utcParse('%Y-%m-%d')(row.day), 1: 0, 2: 0, 3: 0, 4: 0 });
    byDay.get(row.day)[row.key] = row.count;
  }
  const keys = ['1', '2', '3', '4'];
  const sum = (d) => keys.reduce((s, k) => s + d[k], 0);
  const allDays = [...byDay.values()].filter((d) => d.date).sort((a, b) => a.date - b.date);
  // A few events dated decades away (history recalled in an article) would squeeze the rest
  // into a sliver: show the days holding the middle 98% of events, and say what is left out.
  const total = d3.sum(allDays, sum);
  let low = 0;
  let high = allDays.length - 1;
  for (let acc = 0; low < high && acc + sum(allDays[low]) <= total * 0.01; low += 1) acc += sum(allDays[low]);
  for (let acc = 0; high > low && acc + sum(allDays[high]) <= total * 0.01; high -= 1) acc += sum(allDays[high]);
  const days = allDays.slice(low, high + 1);
  const hidden = total - d3.sum(days, sum);
  const stacked = d3.stack().keys(keys)(days);
  const first = d3.min(days, (d) => d.date);
  const last = d3.utcDay.offset(d3.max(days, (d) => d.date), 1);
  const x = d3.scaleUtc().domain([first, last]).range([margin.left, width - margin.right]);
  const y = d3.scaleLinear()
    .domain([0, d3.max(days, sum) || 1]).nice()
    .range([height - margin.bottom, margin.top]);
  const barWidth = Math.max(1, x(d3.utcDay.offset(first, 1)) - x(first) - 0.5);
  const svg = d3.select(container).append('svg')
    .attr('viewBox', `0 0 ${width} ${height}`)
    .attr('role', 'img')
    .attr('aria-label', `Events per day from ${days[0].day} to ${days[days.length - 1].day}, stacked by QuadClass`);
  svg.append('g').selectAll('g').data(stacked).join('g')
    .attr('fill', (s) => QUAD[s.key].color)
    .selectAll('rect').data((s) => s).join('rect')
    .attr('x', (d) => x(d.data.date))
    .attr('y', (d) => y(d[1]))
    .attr('height', (d) => Math.max(0, y(d[0]) - y(d[1])))
    .attr('width', barWidth);
  svg.append('g').attr('class', 'axis').attr('transform', `translate(0,${height - margin.bottom})`)
    .call(d3.axisBottom(x).ticks(width < 600 ? 4 : 9).tickSizeOuter(0));
  svg.append('g').attr('class', 'axis').attr('transform', `translate(${margin.left},0)`)
    .call(d3.axisLeft(y).ticks(4));
  if (hidden > 0) {
    container.append(el('p', { class: 'hint' },
      `${fmt(hidden)} event${hidden === 1 ? '' : 's'} dated outside ${days[0].day} – ${days[days.length - 1].day} not drawn.`));
  }
  const iso = d3.utcFormat('%Y-%m-%d');
  const brush = d3.brushX()
    .extent([[margin.left, margin.top], [width - margin.right, height - margin.bottom]])
    .on('end', (event) => {
      if (!event.sourceEvent) return; // moved by code, not by the user
      if (!event.selection) {
        setFilter({ from: '', to: '' });
        return;
      }
      const [a, b] = event.selection.map(x.invert);
      setFilter({ from: iso(d3.utcDay.floor(a)), to: iso(d3.utcDay.offset(d3.utcDay.ceil(b), -1)) });
    });
  const brushGroup = svg.append('g').attr('class', 'brush').call(brush);
  const { from, to } = state.filters;
  if (from || to) {
    const a = from ? d3.utcParse('%Y-%m-%d')(from) : first;
    const b = to ? d3.utcDay.offset(d3.utcParse('%Y-%m-%d')(to), 1) : last;
    if (a && b) brushGroup.call(brush.move, [Math.max(x(a), margin.left), Math.min(x(b), width - margin.right)]);
  }
}

// ---------------------------------------------------------------- network

function drawNetwork({ nodes, edges }) {
  const container = $('#network');
  container.textContent = '';
  if (!edges.length) {
    container.append(el('p', { class: 'empty' }, 'No source → target pair matches.'));
    return;
  }
  const width = 520;
  const height = 420;
  const maxNode = d3.max(nodes, (n) => n.count) || 1;
  const maxEdge = d3.max(edges, (e) => e.count) || 1;
  const r = d3.scaleSqrt().domain([0, maxNode]).range([4, 20]);
  const simNodes = nodes.map((n) => ({ ...n }));
  const simLinks = edges.map((e) => ({ ...e, source: e.source, target: e.target }));
  // A fixed number of ticks, computed at once: a still picture, the same for the same data.
  const simulation = d3.forceSimulation(simNodes)
    .force('link', d3.forceLink(simLinks).id((n) => n.id).distance(70).strength(0.4))
    .force('charge', d3.forceManyBody().strength(-220))
    .force('collide', d3.forceCollide((n) => r(n.count) + 3))
    .force('center', d3.forceCenter(width / 2, height / 2))
    .force('x', d3.forceX(width / 2).strength(0.06))
    .force('y', d3.forceY(height / 2).strength(0.08))
    .stop();
  for (let i = 0; i < 300; i += 1) simulation.tick();
  for (const n of simNodes) {
    n.x = Math.max(r(n.count) + 2, Math.min(width - r(n.count) - 2, n.x));
    n.y = Math.max(r(n.count) + 2, Math.min(height - r(n.count) - 2, n.y));
  }
  const svg = d3.select(container).append('svg')
    .attr('viewBox', `0 0 ${width} ${height}`)
    .attr('role', 'group')
    .attr('aria-label', `Actor network: ${nodes.length} actors, ${edges.length} pairs`);
  svg.append('defs').append('marker')
    .attr('id', 'arrow').attr('viewBox', '0 -4 8 8').attr('refX', 8).attr('markerWidth', 6).attr('markerHeight', 6)
    .attr('orient', 'auto').append('path').attr('d', 'M0,-4L8,0L0,4').attr('fill', '#8a939c');
  const width1 = d3.scaleLinear().domain([1, maxEdge]).range([0.8, 6]);
  svg.append('g').selectAll('path').data(simLinks).join('path')
    .attr('class', 'link')
    .attr('stroke', (e) => (e.conflict * 2 > e.count ? QUAD[4].color : QUAD[2].color))
    .attr('stroke-width', (e) => width1(e.count))
    .attr('marker-end', 'url(#arrow)')
    .attr('d', (e) => {
      const dx = e.target.x - e.source.x;
      const dy = e.target.y - e.source.y;
      const length = Math.hypot(dx, dy) || 1;
      const tr = r(e.target.count) + 3;
      const tx = e.target.x - (dx / length) * tr;
      const ty = e.target.y - (dy / length) * tr;
      // A slight curve keeps A→B and B→A apart.
      const mx = (e.source.x + tx) / 2 - dy * 0.12;
      const my = (e.source.y + ty) / 2 + dx * 0.12;
      return `M${e.source.x},${e.source.y}Q${mx},${my} ${tx},${ty}`;
    })
    .append('title').text((e) => `${e.source.name} → ${e.target.name}: ${fmt(e.count)} events (${fmt(e.conflict)} conflict), mean Goldstein ${e.goldstein.toFixed(1)}`);
  const labelled = new Set([...simNodes].sort((a, b) => b.count - a.count).slice(0, 14).map((n) => n.id));
  const node = svg.append('g').selectAll('g').data(simNodes).join('g')
    .attr('class', 'node')
    .attr('transform', (n) => `translate(${n.x},${n.y})`)
    .attr('tabindex', 0)
    .attr('role', 'button')
    .attr('aria-label', (n) => `${n.name}${n.id.startsWith('~') ? '' : ` (${n.id})`}: ${fmt(n.count)} events; filter by this actor`)
    .on('click', (event, n) => setFilter({ actor: n.id.startsWith('~') ? n.name : n.id }))
    .on('keydown', (event, n) => {
      if (event.key === 'Enter' || event.key === ' ') {
        event.preventDefault();
        setFilter({ actor: n.id.startsWith('~') ? n.name : n.id });
      }
    });
  node.append('circle').attr('r', (n) => r(n.count)).attr('fill', '#3b5b7d')
    .append('title').text((n) => `${n.name} ${n.id.startsWith('~') ? '' : n.id}: ${fmt(n.count)} events`);
  // Labels point inwards, so they stay inside the picture.
  node.filter((n) => labelled.has(n.id)).append('text')
    .attr('x', (n) => (n.x > width * 0.6 ? -(r(n.count) + 3) : r(n.count) + 3))
    .attr('text-anchor', (n) => (n.x > width * 0.6 ? 'end' : 'start'))
    .attr('dy', '0.35em').text((n) => n.name);
}

// ---------------------------------------------------------------- event table

function actorCell(code, name) {
  if (!name && !code) return el('td', {}, '—');
  return el('td', { class: 'wrap' }, name || code, code ? el('span', { class: 'code' }, ` ${code}`) : null);
}

function fillTable(page, append) {
  const body = $('#events tbody');
  if (!append) body.textContent = '';
  for (const e of page.events) {
    const row = el('tr', {
      tabindex: 0,
      'data-event': e.id,
      'aria-label': `${e.day}: ${e.source_name} ${e.plover_type || e.cameo} ${e.target_name || ''}. Open the evidence`,
      onclick: () => openEvent(e.id, row),
      onkeydown: (event) => {
        if (event.key === 'Enter' || event.key === ' ') {
          event.preventDefault();
          openEvent(e.id, row);
        } else if (event.key === 'ArrowDown' && row.nextElementSibling) {
          event.preventDefault();
          row.nextElementSibling.focus();
        } else if (event.key === 'ArrowUp' && row.previousElementSibling) {
          event.preventDefault();
          row.previousElementSibling.focus();
        }
      },
    },
    el('td', {}, e.day),
    actorCell(e.source_code, e.source_name),
    el('td', {}, el('span', { class: `pill q${e.quad_class}`, title: QUAD[e.quad_class]?.name }, e.cameo),
      ' ', e.plover_type || '', e.negated ? ' (negated)' : ''),
    actorCell(e.target_code, e.target_name),
    el('td', {}, e.place_name ? `${e.place_name}${e.country_code ? `, ${e.country_code}` : ''}` : '—'),
    el('td', { class: 'num' }, fmt(e.num_mentions)));
    body.append(row);
  }
  if (!append && !page.events.length) {
    body.append(el('tr', {}, el('td', { colspan: 6, class: 'empty' }, 'No events.')));
  }
  state.cursor = page.next_after_id;
  $('#more').hidden = state.cursor === null || state.cursor === undefined;
}

// ---------------------------------------------------------------- evidence view

const ROLES = [
  // Later roles are drawn on top of earlier ones where spans overlap.
  { key: 'sentence', label: 'sentence' },
  { key: 'quote', label: 'quote' },
  { key: 'date', label: 'date' },
  { key: 'place', label: 'place' },
  { key: 'source', label: 'source' },
  { key: 'target', label: 'target' },
  { key: 'action', label: 'action (evidence)' },
];

/** The spans of one coded event in a document JSON, as {role, start, end} in code points. */
function eventSpans(doc, event) {
  const spans = [];
  const add = (role, span) => {
    if (span && Number.isInteger(span.start) && Number.isInteger(span.end) && span.end > span.start) {
      spans.push({ role, start: span.start, end: span.end });
    }
  };
  const sentence = doc.sentences?.[event.sentence];
  add('sentence', sentence);
  for (const quote of doc.quotes || []) {
    if (sentence && quote.start < sentence.end && quote.end > sentence.start) add('quote', quote);
  }
  add('date', event.date?.expression);
  for (const where of [event.place, event.source_place, event.target_place]) add('place', where?.mention);
  add('source', event.source);
  add('target', event.target);
  add('action', event.evidence);
  return spans;
}

/** Every quote, date and place of a document (when it has no event to show). */
function documentSpans(doc) {
  const spans = [];
  for (const q of doc.quotes || []) spans.push({ role: 'quote', start: q.start, end: q.end });
  for (const d of doc.dates || []) spans.push({ role: 'date', start: d.start, end: d.end });
  for (const p of doc.places || []) spans.push({ role: 'place', start: p.start, end: p.end });
  return spans;
}

/** The article text with the spans highlighted; offsets are code points, as in the JSON. */
function highlightedText(text, spans) {
  const chars = Array.from(text);
  const cuts = new Set([0, chars.length]);
  for (const s of spans) {
    cuts.add(Math.max(0, Math.min(chars.length, s.start)));
    cuts.add(Math.max(0, Math.min(chars.length, s.end)));
  }
  const points = [...cuts].sort((a, b) => a - b);
  const order = ROLES.map((r) => r.key);
  const container = el('div', { class: 'article-text', tabindex: 0, 'aria-label': 'Article text' });
  for (let i = 0; i + 1 < points.length; i += 1) {
    const [a, b] = [points[i], points[i + 1]];
    const piece = chars.slice(a, b).join('');
    const roles = spans.filter((s) => s.start <= a && s.end >= b).map((s) => s.role)
      .sort((x, y) => order.indexOf(x) - order.indexOf(y));
    if (!roles.length) {
      container.append(piece);
      continue;
    }
    const unique = [...new Set(roles)];
    container.append(el('mark', {
      class: ['hl', ...unique.map((r) => `hl-${r}`)].join(' '),
      'data-roles': unique.join(' '),
      title: unique.filter((r) => r !== 'sentence').join(', ') || 'sentence',
    }, piece));
  }
  return container;
}

function legend(roles) {
  return el('ul', { class: 'hl-legend', 'aria-label': 'Highlight colours' },
    ROLES.filter((r) => roles.has(r.key)).map((r) =>
      el('li', {}, el('span', { class: `key hl hl-${r.key}` }, r.key === 'sentence' ? 'sentence' : 'Abc'), ' ', r.label)));
}

function fact(dl, term, ...value) {
  if (value.every((v) => v === undefined || v === null || v === '')) return;
  dl.append(el('dt', {}, term), el('dd', {}, ...value));
}

function safeLink(url) {
  return /^https?:\/\//i.test(url || '') ? el('a', { href: url, rel: 'noopener noreferrer', target: '_blank' }, url) : url;
}

/** The evidence view of event `index` of a document JSON (or of the whole document). */
function evidenceView(doc, index) {
  const event = Number.isInteger(index) ? doc.events?.[index] : null;
  const spans = event ? eventSpans(doc, event) : documentSpans(doc);
  const roles = new Set(spans.map((s) => s.role));
  const text = highlightedText(doc.text || '', spans);
  const left = el('div', {},
    doc.title ? el('p', { class: 'article-title' }, doc.title) : null,
    el('p', { class: 'article-meta' }, [doc.source, doc.published].filter(Boolean).join(' · ') || 'no source or date'),
    legend(roles),
    text);
  const facts = el('dl', { class: 'facts' });
  if (event) {
    const actor = (a) => a ? [a.name, a.code ? el('span', { class: 'code' }, ` ${a.code}`) : null, a.text && a.text !== a.name ? ` — “${a.text}”` : null] : [];
    fact(facts, 'Source', ...actor(event.source));
    fact(facts, 'Action', el('span', { class: `pill q${event.quad_class}` }, event.cameo), ' ',
      event.plover ? `${event.plover.type}${event.plover.mode ? ` / ${event.plover.mode}` : ''}` : '',
      ` · ${QUAD[event.quad_class]?.name || ''}`);
    fact(facts, 'Evidence', event.evidence ? `“${event.evidence.text}”` : '');
    fact(facts, 'Pattern', event.pattern ? el('span', { class: 'code' }, event.pattern) : '');
    if (event.target) fact(facts, 'Target', ...actor(event.target));
    fact(facts, 'Date', event.date ? `${event.date.value} (from ${event.date.from === 'expression' ? `“${event.date.expression?.text || ''}”` : 'the publication date'})` : '');
    fact(facts, 'Place', event.place ? `${event.place.name}${event.place.country_code ? `, ${event.place.country_code}` : ''} (${event.place.rule})` : '');
    fact(facts, 'Modality', `${event.modality}${event.negated ? ', negated' : ''}`);
    if (event.speaker) fact(facts, 'Claimed by', event.speaker.name);
    fact(facts, 'Goldstein', String(event.goldstein));
    fact(facts, 'Confidence', String(event.confidence));
  } else {
    fact(facts, 'Events', 'none coded in this text');
  }
  fact(facts, 'Outlet', doc.source);
  fact(facts, 'Published', doc.published);
  fact(facts, 'URL', safeLink(doc.url));
  fact(facts, 'Document', el('span', { class: 'code' }, doc.id || ''));
  const view = el('div', { class: 'evidence' }, left, facts);
  // Bring the event's sentence into view once the view is in the page.
  requestAnimationFrame(() => {
    const target = text.querySelector('.hl-action') || text.querySelector('.hl-sentence');
    if (target) text.scrollTop = Math.max(0, target.offsetTop - text.offsetTop - 60);
  });
  return view;
}

let lastFocus = null;

async function openEvent(id, row) {
  lastFocus = row || document.activeElement;
  const dialog = $('#evidence');
  const body = $('#evidence-body');
  body.textContent = 'Loading…';
  $('#evidence-title').textContent = `Event ${id}`;
  if (!dialog.open) dialog.showModal();
  dialog.dataset.state = 'loading';
  try {
    const { event, mentions } = await api(`/api/events/${encodeURIComponent(id)}`);
    $('#evidence-title').textContent =
      `${event.source_name} → ${event.cameo}${event.plover_type ? ` ${event.plover_type}` : ''}${event.target_name ? ` → ${event.target_name}` : ''} · ${event.day}`;
    const showMention = async (i) => {
      const mention = mentions[i];
      dialog.dataset.state = 'loading';
      const doc = await api(`/api/documents/${encodeURIComponent(mention.document)}`);
      const nav = mentions.length > 1
        ? el('div', { class: 'mentions-nav', role: 'group', 'aria-label': 'Mentions of this event' },
          el('span', {}, `${mentions.length} mentions:`),
          mentions.map((m, j) => el('button', {
            type: 'button', 'aria-pressed': String(i === j), onclick: () => showMention(j),
          }, m.outlet || `article ${j + 1}`)))
        : null;
      body.textContent = '';
      body.append(nav || '', evidenceView(doc, mention.index));
      dialog.dataset.state = 'ready';
    };
    if (!mentions.length) {
      body.textContent = 'This event has no stored mention.';
      dialog.dataset.state = 'ready';
      return;
    }
    await showMention(0);
  } catch (error) {
    body.textContent = `Could not load the evidence: ${error.message}`;
    dialog.dataset.state = 'error';
  }
}

function closeEvidence() {
  const dialog = $('#evidence');
  if (dialog.open) dialog.close();
}

// ---------------------------------------------------------------- paste page

async function codePasted(event) {
  event.preventDefault();
  const status = $('#paste-status');
  const result = $('#paste-result');
  const text = $('#p-text').value;
  if (!text.trim()) {
    status.textContent = 'Paste some text first.';
    return;
  }
  const body = { text };
  if ($('#p-published').value) body.published = $('#p-published').value;
  if ($('#p-source').value.trim()) body.source = $('#p-source').value.trim();
  status.textContent = 'Coding…';
  result.textContent = '';
  result.dataset.state = 'loading';
  try {
    const started = performance.now();
    const doc = await api('/api/code', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    const ms = Math.round(performance.now() - started);
    const events = doc.events || [];
    status.textContent = `${events.length} event${events.length === 1 ? '' : 's'}, ` +
      `${(doc.sentences || []).length} sentences, ${(doc.entities || []).length} entities, ` +
      `${(doc.quotes || []).length} quotes, ${(doc.places || []).length} places (${ms} ms)`;
    const panel = el('div', { class: 'panel' });
    const show = (i) => {
      for (const b of list.querySelectorAll('button')) b.setAttribute('aria-pressed', String(Number(b.dataset.index) === i));
      panel.textContent = '';
      panel.append(evidenceView(doc, i));
    };
    const list = el('ul', { class: 'coded-events', 'aria-label': 'Coded events' },
      events.map((e, i) => el('li', {}, el('button', {
        type: 'button', 'data-index': i, 'aria-pressed': 'false', onclick: () => show(i),
      }, el('span', { class: `pill q${e.quad_class}` }, e.cameo), ' ',
      `${e.source.name} ${e.evidence.text} ${e.target ? e.target.name : ''}`,
      e.negated ? ' (negated)' : '', ` · ${e.plover ? e.plover.type : ''}`))));
    result.append(list, panel);
    if (events.length) show(0);
    else panel.append(evidenceView(doc, null));
    result.dataset.state = 'ready';
  } catch (error) {
    status.textContent = `Could not code the text: ${error.message}`;
    result.dataset.state = 'error';
  }
}

// ---------------------------------------------------------------- routing and start

function route() {
  const paste = location.hash.startsWith('#/paste');
  $('#dashboard-view').hidden = paste;
  $('#paste-view').hidden = !paste;
  $('#nav-dashboard').toggleAttribute('aria-current', !paste);
  $('#nav-paste').toggleAttribute('aria-current', paste);
  if (!paste) {
    const [, search = ''] = location.hash.split('?');
    const params = new URLSearchParams(search);
    const filters = {};
    for (const name of FILTER_NAMES) if (params.get(name)) filters[name] = params.get(name);
    writeForm(filters);
  }
  for (const a of document.querySelectorAll('nav a')) {
    if (a.hasAttribute('aria-current')) a.setAttribute('aria-current', 'page');
  }
}

async function fillActorList() {
  try {
    const { actors } = await api('/api/actors?limit=100');
    $('#actor-list').replaceChildren(...actors.map((a) =>
      el('option', { value: a.code || a.name }, `${a.name} (${fmt(a.as_source + a.as_target)})`)));
  } catch {
    // The list only helps typing; the filter works without it.
  }
}

async function start() {
  route();
  $('#filters').addEventListener('submit', (event) => {
    event.preventDefault();
    applyFilters();
  });
  $('#filters').addEventListener('reset', () => setTimeout(applyFilters, 0));
  $('#more').addEventListener('click', loadMore);
  $('#evidence-close').addEventListener('click', closeEvidence);
  $('#evidence').addEventListener('close', () => lastFocus && lastFocus.focus && lastFocus.focus());
  $('#evidence').addEventListener('click', (event) => {
    if (event.target === $('#evidence')) closeEvidence(); // a click on the backdrop
  });
  $('#paste-form').addEventListener('submit', codePasted);
  window.addEventListener('hashchange', () => {
    const wasPaste = !$('#paste-view').hidden;
    route();
    if (wasPaste && $('#paste-view').hidden) applyFilters();
  });
  let resizeTimer = null;
  let lastWidth = window.innerWidth;
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => {
      if (window.innerWidth !== lastWidth) {
        lastWidth = window.innerWidth;
        loadDashboard();
      }
    }, 250);
  });
  try {
    await loadWorld();
  } catch (error) {
    $('#filter-error').textContent = `Could not load the world map: ${error.message}`;
  }
  fillActorList();
  state.filters = readForm();
  await loadDashboard();
}

// For tests and the console: where a longitude/latitude lands on the map (SVG units), and
// the map's size.
window.dyad = {
  project: (lon, lat) => (state.projection ? state.projection([lon, lat]) : null),
  mapSize: MAP,
  reload: () => loadDashboard(),
};

start();
