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

})();
