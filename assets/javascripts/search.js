/* The header's search box (generator/search/ writes the index; the markup is
   site_templates/overrides/partials/sc-search.html).

   Nothing is loaded until a reader opens the box: then Pagefind's script and the index of the
   page's own language (it follows <html lang>) are fetched from this site. Results show the
   page's title, kind, district and year and an excerpt; filters (kind, district, year, case
   type) load when the reader opens them. Keys: "/" or "s" opens, Esc closes, arrow keys move
   through the results, Enter opens one. */
(() => {
  "use strict";
  const root = document.querySelector("[data-sc-search]");
  if (!root || typeof HTMLDialogElement === "undefined") return;

  const dialog = root.querySelector("dialog");
  const openButton = root.querySelector(".sc-search__open");
  const form = root.querySelector(".sc-search__form");
  const input = root.querySelector(".sc-search__input");
  const status = root.querySelector(".sc-search__status");
  const list = root.querySelector(".sc-search__results");
  const more = root.querySelector(".sc-search__more");
  const filterBox = root.querySelector(".sc-search__filters");
  const selects = [...root.querySelectorAll("select[data-filter]")];
  const labels = JSON.parse(root.querySelector(".sc-search__labels").textContent);
  const bundle = new URL(root.dataset.bundle, location.href).href;
  const siteRoot = new URL(root.dataset.root, location.href);
  const PAGE = 8;
  const KIND_ORDER = ["search_kind_case", "search_kind_site", "search_kind_milestone", "search_kind_exhibition", "search_kind_page"].map((k) => labels[k]);

  let engine = null; // Promise of the Pagefind module, once opened
  let seq = 0; // the latest search; older answers are dropped
  let hits = [];
  let shown = 0;
  let filtersLoaded = false;
  // In `showcase serve` only (data-preview): the index is rewritten a moment after the pages; a
  // file "refreshing" in the bundle says it is not there yet, and the status line says so.
  let refreshing = Promise.resolve(false);

  root.hidden = false;

  // --- loading ------------------------------------------------------------------------------
  function load() {
    if (!engine) {
      engine = import(bundle + "pagefind.js").then(async (pagefind) => {
        // no worker: it is one more file to fetch (11.6 KB gzip) and did not make results faster
        await pagefind.options({ excerptLength: 24, noWorker: true });
        await pagefind.init();
        return pagefind;
      });
      engine.catch(() => {
        engine = null;
        status.textContent = labels.search_unavailable;
      });
    }
    return engine;
  }

  // --- opening and closing ------------------------------------------------------------------
  function open() {
    if (!dialog.open) dialog.showModal();
    input.focus();
    input.select();
    load().catch(() => {});
    if (root.dataset.preview !== undefined) {
      refreshing = fetch(bundle + "refreshing", { method: "HEAD", cache: "no-store" }).then((r) => r.ok, () => false);
    }
  }

  openButton.addEventListener("click", open);
  root.querySelector(".sc-search__close").addEventListener("click", () => dialog.close());
  dialog.addEventListener("click", (event) => {
    if (event.target === dialog) dialog.close(); // a click on the backdrop
  });
  dialog.addEventListener("close", () => openButton.focus());
  document.addEventListener("keydown", (event) => {
    if (dialog.open || event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    if (target instanceof Element && target.closest("input, textarea, select, [contenteditable]")) return;
    if (event.key === "/" || event.key === "s" || event.key === "S") {
      event.preventDefault();
      open();
    }
  });

  // --- searching ----------------------------------------------------------------------------
  function activeFilters() {
    const filters = {};
    for (const select of selects) {
      if (select.value) filters[select.dataset.filter] = select.value;
    }
    return filters;
  }

  async function run() {
    const id = ++seq;
    const query = input.value.trim();
    const filters = activeFilters();
    const started = performance.now();
    if (!query && !Object.keys(filters).length) {
      hits = [];
      list.replaceChildren();
      more.hidden = true;
      status.textContent = labels.search_hint;
      return;
    }
    let pagefind;
    try {
      pagefind = await load();
    } catch {
      return;
    }
    if (id !== seq) return;
    const found = await find(pagefind, query, filters);
    if (id !== seq || !found) return;
    hits = found;
    shown = 0;
    const items = await page(id);
    if (id !== seq) return;
    list.replaceChildren(...items);
    status.textContent = hits.length === 0 ? labels.search_none
      : hits.length === 1 ? labels.search_result_one : labels.search_results.replace("{n}", hits.length);
    if ((await refreshing) && id === seq) status.textContent += ` ${labels.search_refreshing}`;
    root.dispatchEvent(new CustomEvent("sc-search-results", {
      bubbles: true, detail: { query, count: hits.length, ms: performance.now() - started },
    }));
  }

  /* Chinese is indexed one character per token (generator/search/records.py: split_han). A query
     with Chinese is looked up twice: all its characters, for Pagefind's ranking (headings and an
     entry's own facets weigh more), and each of its words as an exact phrase, which keeps only the
     pages where the characters are written together (人民坊, not 人民…坊). If no page has the
     phrase (a quotation mark inside it, say), the ranked pages are shown. */
  const HAN = "\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff";
  const hanRun = new RegExp(`([${HAN}])`, "gu");
  const hasHan = new RegExp(`[${HAN}]`, "u");
  const spaced = (word) => word.replace(hanRun, " $1 ").replace(/\s+/g, " ").trim();

  async function find(pagefind, query, filters) {
    if (!query || !hasHan.test(query)) {
      const found = await pagefind.search(query || null, { filters });
      return found && found.results;
    }
    const words = query.split(/\s+/).filter(Boolean);
    const ranked = await pagefind.search(words.map(spaced).join(" "), { filters });
    if (!ranked || ranked.results.length === 0) return ranked && ranked.results;
    let keep = null;
    for (const word of words.filter((w) => hasHan.test(w))) {
      const exact = await pagefind.search(`"${spaced(word)}"`, { filters });
      const ids = new Set((exact ? exact.results : []).map((r) => r.id));
      keep = keep ? new Set([...keep].filter((x) => ids.has(x))) : ids;
    }
    const together = ranked.results.filter((r) => keep.has(r.id));
    return together.length ? together : ranked.results;
  }

  async function page(id) {
    const slice = hits.slice(shown, shown + PAGE);
    const data = await Promise.all(slice.map((hit) => hit.data()));
    if (id !== seq) return [];
    shown += slice.length;
    more.hidden = shown >= hits.length;
    return data.map(item);
  }

  form.addEventListener("submit", (event) => event.preventDefault());
  input.addEventListener("input", (event) => {
    if (!event.isComposing) run(); // wait for the IME to finish a Chinese word
  });
  input.addEventListener("compositionend", run);
  more.addEventListener("click", async () => {
    const id = seq;
    const first = shown;
    const items = await page(id);
    list.append(...items);
    list.querySelectorAll("a")[first]?.focus();
  });

  // --- results ------------------------------------------------------------------------------
  /* Pagefind escapes only < and > of the page's text when it makes an excerpt (its
     loadFragment: content.replace(/</g, "&lt;").replace(/>/g, "&gt;")), not &: undoing exactly
     that gives the text back. Decoding every entity would show a text that reads "&copy;" or
     "&amp;" as "©" or "&". (A text that itself reads "&lt;" is indistinguishable from "<".) */
  function decode(escaped) {
    return escaped.replace(/&lt;/g, "<").replace(/&gt;/g, ">");
  }

  function span(className, text) {
    const element = document.createElement("span");
    element.className = className;
    if (text) element.textContent = text;
    return element;
  }

  /* Pagefind's excerpt is escaped text with <mark> around the matches; rebuild it from text
     nodes so that nothing in it can ever become markup. */
  function excerpt(html) {
    const element = span("sc-search__excerpt");
    let marked = false;
    for (const part of html.split(/(<mark>|<\/mark>)/)) {
      if (part === "<mark>" || part === "</mark>") {
        marked = part === "<mark>";
      } else if (part) {
        const text = decode(part).replace(/\u200b/g, "");
        const last = element.lastChild;
        if (marked && last instanceof HTMLElement && last.tagName === "MARK") {
          last.textContent += text; // Chinese is marked one character at a time
        } else {
          element.append(marked ? Object.assign(document.createElement("mark"), { textContent: text }) : text);
        }
      }
    }
    return element;
  }

  function item(data) {
    const meta = data.meta || {};
    const link = document.createElement("a");
    link.className = "sc-search__hit";
    link.href = new URL(data.url.replace(/^\//, ""), siteRoot).href;
    const head = span("sc-search__head");
    head.append(span("sc-search__kind", meta.kind), span("sc-search__title", meta.title || data.url));
    link.append(head);
    const where = [meta.district, meta.date || meta.year].filter(Boolean).join(" · ");
    if (where) link.append(span("sc-search__where", where));
    link.append(excerpt(data.excerpt || ""));
    const li = document.createElement("li");
    li.append(link);
    return li;
  }

  list.addEventListener("click", (event) => {
    if (event.target instanceof Element && event.target.closest("a")) dialog.close();
  });

  // --- keys ---------------------------------------------------------------------------------
  input.addEventListener("keydown", (event) => {
    const first = list.querySelector("a");
    if (event.key === "Escape") {
      event.preventDefault(); // a search field would only clear itself: Esc closes the box
      dialog.close();
    } else if (event.key === "ArrowDown" && first) {
      event.preventDefault();
      first.focus();
    } else if (event.key === "Enter" && first && !event.isComposing) {
      event.preventDefault();
      first.click();
    }
  });
  list.addEventListener("keydown", (event) => {
    const links = [...list.querySelectorAll("a")];
    const at = links.indexOf(document.activeElement);
    if (at < 0) return;
    if (event.key === "ArrowDown") {
      event.preventDefault();
      (links[at + 1] || (more.hidden ? links[at] : more)).focus();
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      (links[at - 1] || input).focus();
    }
  });
  more.addEventListener("keydown", (event) => {
    if (event.key === "ArrowUp") {
      event.preventDefault();
      [...list.querySelectorAll("a")].pop()?.focus();
    }
  });

  // --- filters ------------------------------------------------------------------------------
  function ordered(key, values) {
    const names = Object.keys(values);
    if (key === "year") return names.sort((a, b) => b.localeCompare(a));
    if (key === "kind") return names.sort((a, b) => KIND_ORDER.indexOf(a) - KIND_ORDER.indexOf(b));
    return names.sort((a, b) => a.localeCompare(b, document.documentElement.lang));
  }

  filterBox.addEventListener("toggle", async () => {
    if (!filterBox.open || filtersLoaded) return;
    let pagefind;
    try {
      pagefind = await load();
    } catch {
      return;
    }
    const all = await pagefind.filters();
    filtersLoaded = true;
    for (const select of selects) {
      const values = all[select.dataset.filter] || {};
      for (const value of ordered(select.dataset.filter, values)) {
        select.append(new Option(`${value} (${values[value]})`, value));
      }
      select.disabled = Object.keys(values).length === 0;
    }
  });
  for (const select of selects) select.addEventListener("change", run);

  // The same lookup without the box, for the relevance tests and the benchmark.
  window.showcaseSearch = {
    async query(text, filters = {}) {
      const pagefind = await load();
      const found = (await find(pagefind, text.trim(), filters)) || [];
      return { count: found.length, top: await Promise.all(found.slice(0, 10).map((hit) => hit.data())) };
    },
  };
})();
