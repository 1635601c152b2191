// Sweepfarm web UI: the few behaviours htmx does not cover. Every page works without this file.
(function () {
  'use strict';

  // "Copy parameters": copies the text of the element named by data-copy.
  document.addEventListener('click', function (e) {
    const button = e.target.closest('[data-copy]');
    if (!button) return;
    const source = document.querySelector(button.getAttribute('data-copy'));
    if (!source || !navigator.clipboard) return;
    navigator.clipboard.writeText(source.textContent).then(function () {
      const label = button.textContent;
      button.textContent = 'Copied';
      setTimeout(function () { button.textContent = label; }, 1500);
    });
  });

  // Destructive forms ask first.
  document.addEventListener('submit', function (e) {
    const question = e.target.getAttribute('data-confirm');
    if (question && !window.confirm(question)) e.preventDefault();
  });

  // Selects marked data-autosubmit (and every select of a data-autosubmit-form) apply at once.
  document.addEventListener('change', function (e) {
    const el = e.target;
    if (!(el instanceof HTMLSelectElement)) return;
    if (el.hasAttribute('data-zoom')) {
      const grids = document.querySelector('.grids');
      if (grids) grids.style.setProperty('--cell', el.value + 'px');
      return;
    }
    if (el.hasAttribute('data-autosubmit') || el.closest('[data-autosubmit-form]')) el.form.requestSubmit();
  });

  // The sweep page keeps at most 240 thumbnails; older ones are on the browse page.
  document.addEventListener('htmx:sseMessage', function (e) {
    const gallery = document.getElementById('gallery');
    if (!gallery || e.target !== gallery) return;
    while (gallery.children.length > 240) gallery.removeChild(gallery.lastElementChild);
  });

  function text(tag, value) {
    const el = document.createElement(tag);
    el.textContent = value == null ? '' : String(value);
    return el;
  }

  // Models offered by the new-sweep form: those live workers serve, when the coordinator lists them.
  const models = document.querySelector('datalist[data-live-models]');
  if (models) {
    fetch(models.getAttribute('data-live-models'), { headers: { Accept: 'application/json' } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (list) {
        if (!Array.isArray(list)) return;
        const names = list.map(function (m) { return typeof m === 'string' ? m : m.model; }).filter(Boolean);
        if (!names.length) return;
        models.replaceChildren.apply(models, names.map(function (n) { const o = document.createElement('option'); o.value = n; return o; }));
        const input = document.getElementById('model');
        if (input && !input.value) input.value = names[0];
        const hint = document.getElementById('model-hint');
        if (hint) hint.textContent = 'Served by live workers: ' + names.join(', ');
      })
      .catch(function () { /* keep the models of recent sweeps */ });
  }

  // The fleet page: workers and their lanes, when the coordinator lists them (GET /api/v1/workers).
  const fleet = document.getElementById('fleet-live');
  if (fleet) {
    fetch(fleet.getAttribute('data-workers-url'), { headers: { Accept: 'application/json' } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (body) {
        const workers = Array.isArray(body) ? body : body && Array.isArray(body.workers) ? body.workers : null;
        if (!workers) return;
        const rows = [];
        workers.forEach(function (w) {
          const lanes = Array.isArray(w.lanes) && w.lanes.length ? w.lanes : [{}];
          lanes.forEach(function (lane) {
            rows.push({
              worker: w.id || w.worker || w.name, model: lane.model || w.model, device: lane.device || w.device,
              state: lane.state || w.state, 'images/s': lane.images_per_second != null ? lane.images_per_second : w.images_per_second,
              'last error': lane.last_error || w.last_error || ''
            });
          });
        });
        const h = text('h2', 'Workers and lanes');
        const table = document.createElement('table');
        const head = table.createTHead().insertRow();
        const cols = ['worker', 'model', 'device', 'state', 'images/s', 'last error'];
        cols.forEach(function (c) { const th = text('th', c); th.scope = 'col'; head.appendChild(th); });
        const tbody = table.createTBody();
        rows.forEach(function (r) {
          const tr = tbody.insertRow();
          cols.forEach(function (c) { tr.appendChild(text('td', typeof r[c] === 'number' ? r[c].toFixed(2) : r[c])); });
        });
        fleet.replaceChildren(h, rows.length ? table : text('p', 'No live worker.'));
      })
      .catch(function () { /* the fallback below stays */ });
  }
})();
