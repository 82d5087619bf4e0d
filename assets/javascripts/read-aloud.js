/* 朗读 / read aloud: the page's main text read by the browser's own speech synthesis
 * (window.speechSynthesis), for case, competition-site, retrospective and exhibition pages
 * (controls: site_templates/pages/_read_aloud.html).
 *
 * - Nothing is sent to any server: only voices on the device (localService) are used, and the
 *   utterance always names its voice, so the browser never falls back to a network voice.
 * - The voice follows the page's language: zh-CN on Chinese pages, English on English pages. Each
 *   sentence takes the language most of its characters are marked with (lang="…"), so an English
 *   passage in a Chinese page is read by an English voice, and Chinese shown on an English page
 *   (an untranslated text) by a Chinese one; a sentence in a language the device has no voice for
 *   is skipped. Without a voice for the page's language, or without speech synthesis at all, the
 *   button says so in words.
 * - One utterance per sentence: the sentence is highlighted (CSS Custom Highlight API, and the
 *   class sc-read-aloud-current on its paragraph where the API is missing) and scrolled into view.
 *   Pause cancels the speech and remembers the sentence; resume reads that sentence again from its
 *   start (speechSynthesis.pause() is unreliable on phones). Stop forgets the place.
 * - What is read: the page's article in order, without these controls, maps, tables, navigation,
 *   lists of other pages and anything hidden (see SKIP).
 */
(function () {
  "use strict";
  var box = document.querySelector("[data-sc-read-aloud]");
  if (!box) return;

  var HIGHLIGHT = "sc-read-aloud";
  var CURRENT = "sc-read-aloud-current";
  var BLOCK = "p,li,dt,dd,h1,h2,h3,h4,h5,h6,figcaption,blockquote,caption,div,section,article,dl,ul,ol,figure," +
    "header,footer,aside,main,pre,details,summary,fieldset,legend";
  var SKIP = "script,style,noscript,template,svg,button,select,input,textarea,nav,table,dialog,iframe,video,audio," +
    ".sc-read-aloud,.sc-map,.leaflet-container,.sc-map-legend,.sc-cards,.sc-visit-keys,.headerlink," +
    ".md-content__button,[hidden],[aria-hidden='true'],[data-read-aloud='skip']";
  var WAIT_FOR_VOICES_MS = 1500;

  var labels = JSON.parse(box.getAttribute("data-labels") || "{}");
  var pageLang = box.getAttribute("data-lang") || document.documentElement.lang || "zh-CN";
  var playButton = box.querySelector('[data-action="play"]');
  var stopButton = box.querySelector('[data-action="stop"]');
  var status = box.querySelector(".sc-read-aloud__status");
  var container = box.closest("article") || document.querySelector(".md-content__inner") || document.body;
  var synth = window.speechSynthesis;
  var Utterance = window.SpeechSynthesisUtterance;

  var state = "idle"; // idle | playing | paused | unavailable
  var sentences = [];
  var index = 0;
  var generation = 0; // events of an utterance cancelled since are ignored
  var lastBlock = null;

  box.hidden = false;

  function format(text, values) {
    return String(text || "").replace(/\{(\w+)\}/g, function (all, key) {
      return values && key in values ? values[key] : all;
    });
  }

  function setText(button, text, icon) {
    button.querySelector(".sc-read-aloud__text").textContent = text;
    if (icon) button.querySelector(".sc-read-aloud__icon").textContent = icon;
  }

  function say(text) { status.textContent = text || ""; }

  function unavailable(message) {
    state = "unavailable";
    box.classList.add("sc-read-aloud--unavailable");
    setText(playButton, message, "⚠");
    playButton.setAttribute("aria-disabled", "true");
    stopButton.hidden = true;
    say("");
  }

  if (!synth || typeof synth.speak !== "function" || !Utterance) {
    unavailable(labels.no_speech);
    return;
  }

  // --- voices -------------------------------------------------------------------------------
  function normal(tag) { return String(tag || "").toLowerCase().replace(/_/g, "-"); }
  function primary(tag) {
    var p = normal(tag).split("-")[0];
    return p === "cmn" ? "zh" : p;
  }

  function rank(voice, wanted) {
    var tag = normal(voice.lang);
    var score = 0;
    if (tag === wanted) score += 8;
    if (primary(wanted) === "zh") {
      if (/(^|-)(cn|hans|sg)(-|$)/.test(tag) || tag === "zh" || tag.indexOf("cmn") === 0) score += 4;
      else if (/(^|-)(hk|mo|yue)(-|$)/.test(tag)) score -= 2; // Cantonese last: it reads Mandarin text oddly
    }
    if (voice["default"]) score += 1;
    return score;
  }

  var voiceCache = {};
  function voiceFor(lang) {
    var wanted = normal(lang);
    if (primary(wanted) === "zh" && wanted === "zh") wanted = "zh-cn";
    if (primary(wanted) === "zh" && /hans/.test(wanted)) wanted = "zh-cn";
    if (wanted in voiceCache) return voiceCache[wanted];
    var best = null, bestScore = -Infinity;
    (synth.getVoices() || []).forEach(function (voice) {
      if (voice.localService === false) return; // a network voice would send the text away
      if (primary(voice.lang) !== primary(wanted)) return;
      var score = rank(voice, wanted);
      if (score > bestScore) { best = voice; bestScore = score; }
    });
    voiceCache[wanted] = best;
    return best;
  }

  function voicesKnown() { return (synth.getVoices() || []).length > 0; }

  function checkVoices() {
    if (state === "unavailable" && voiceFor(pageLang)) {
      // a voice arrived after all
      state = "idle";
      box.classList.remove("sc-read-aloud--unavailable");
      playButton.removeAttribute("aria-disabled");
      setText(playButton, labels.play, "▶");
    } else if (state === "idle" && voicesKnown() && !voiceFor(pageLang)) {
      unavailable(labels.no_voice);
    }
  }

  function onVoicesChanged() {
    voiceCache = {};
    checkVoices();
  }
  if (typeof synth.addEventListener === "function") synth.addEventListener("voiceschanged", onVoicesChanged);
  else synth.onvoiceschanged = onVoicesChanged;
  checkVoices();

  function waitForVoices(then) {
    if (voicesKnown()) { then(); return; }
    say(labels.loading);
    var waited = 0;
    var timer = setInterval(function () {
      waited += 100;
      if (voicesKnown() || waited >= WAIT_FOR_VOICES_MS) {
        clearInterval(timer);
        voiceCache = {};
        say("");
        then();
      }
    }, 100);
  }

  // --- the text -----------------------------------------------------------------------------
  function hiddenElement(el) {
    if (el.matches(SKIP)) return true;
    var style = window.getComputedStyle(el);
    return style.display === "none" || style.visibility === "hidden";
  }

  function langOf(node) {
    var el = node.parentElement && node.parentElement.closest("[lang]");
    return (el && el.getAttribute("lang")) || document.documentElement.lang || pageLang;
  }

  /* Runs of text that belong to one paragraph-like element, in document order. */
  function groups() {
    var result = [];
    var current = null;
    var walker = document.createTreeWalker(container, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, {
      acceptNode: function (node) {
        if (node.nodeType === 1) return hiddenElement(node) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_SKIP;
        return NodeFilter.FILTER_ACCEPT;
      }
    });
    var node;
    while ((node = walker.nextNode())) {
      var block = node.parentElement.closest(BLOCK) || container;
      if (!current || current.block !== block) {
        current = { block: block, text: "", pieces: [] };
        result.push(current);
      }
      current.pieces.push({ node: node, start: current.text.length, lang: langOf(node) });
      current.text += node.data;
    }
    return result.filter(function (group) { return /[\p{L}\p{N}]/u.test(group.text); });
  }

  function splitSentences(text, lang) {
    var spans = [];
    if (window.Intl && Intl.Segmenter) {
      var segmenter = new Intl.Segmenter(lang, { granularity: "sentence" });
      var it = segmenter.segment(text)[Symbol.iterator](), step;
      while (!(step = it.next()).done) spans.push([step.value.index, step.value.index + step.value.segment.length]);
    } else {
      var re = /[^。！？!?]+(?:[。！？!?]+|$)[”’"』」)）]*|[。！？!?]+/g, m;
      while ((m = re.exec(text))) spans.push([m.index, m.index + m[0].length]);
    }
    // a long sentence (a list written with semicolons) is read in parts, so a pause loses little
    var out = [];
    spans.forEach(function (span) {
      var start = span[0];
      var part = /[；;]/g, m2;
      var piece = text.slice(span[0], span[1]);
      if (piece.length <= 120) { out.push(span); return; }
      while ((m2 = part.exec(piece))) {
        if (m2.index + 1 - (start - span[0]) >= 40) {
          out.push([start, span[0] + m2.index + 1]);
          start = span[0] + m2.index + 1;
        }
      }
      out.push([start, span[1]]);
    });
    return out;
  }

  function pieceAt(group, offset, isEnd) {
    for (var i = 0; i < group.pieces.length; i++) {
      var piece = group.pieces[i];
      var end = piece.start + piece.node.data.length;
      if (isEnd ? offset <= end : offset < end) return piece;
    }
    return group.pieces[group.pieces.length - 1];
  }

  function sentenceLang(group, start, end) {
    var counts = {};
    group.pieces.forEach(function (piece) {
      var from = Math.max(start, piece.start), to = Math.min(end, piece.start + piece.node.data.length);
      if (to > from) {
        var n = piece.node.data.slice(from - piece.start, to - piece.start).replace(/\s+/g, "").length;
        counts[piece.lang] = (counts[piece.lang] || 0) + n;
      }
    });
    var best = pageLang, most = -1;
    Object.keys(counts).forEach(function (lang) {
      if (counts[lang] > most) { best = lang; most = counts[lang]; }
    });
    return primary(best) === primary(pageLang) ? pageLang : best;
  }

  function collect() {
    var list = [];
    groups().forEach(function (group) {
      var lang = group.pieces[0].lang;
      splitSentences(group.text, lang).forEach(function (span) {
        var start = span[0], end = span[1];
        while (start < end && /\s/.test(group.text[start])) start++;
        while (end > start && /\s/.test(group.text[end - 1])) end--;
        var text = group.text.slice(start, end).replace(/\s+/g, " ");
        if (!/[\p{L}\p{N}]/u.test(text)) return;
        var sentenceLanguage = sentenceLang(group, start, end);
        var voice = voiceFor(sentenceLanguage);
        if (!voice) return; // no voice on this device for that language: skipped
        var a = pieceAt(group, start, false), b = pieceAt(group, end, true);
        var range = document.createRange();
        range.setStart(a.node, start - a.start);
        range.setEnd(b.node, end - b.start);
        list.push({ text: text, lang: sentenceLanguage, voice: voice, range: range, block: group.block });
      });
    });
    return list;
  }

  // --- highlighting -------------------------------------------------------------------------
  var highlights = window.CSS && CSS.highlights && typeof window.Highlight === "function" ? CSS.highlights : null;

  function highlight(sentence) {
    if (lastBlock && lastBlock !== sentence.block) lastBlock.classList.remove(CURRENT);
    sentence.block.classList.add(CURRENT);
    lastBlock = sentence.block;
    if (highlights) highlights.set(HIGHLIGHT, new Highlight(sentence.range));
    var rect = sentence.range.getBoundingClientRect();
    var header = document.querySelector(".md-header");
    var top = header ? header.getBoundingClientRect().bottom : 0;
    if (rect.top < top || rect.bottom > window.innerHeight) {
      window.scrollBy({ top: rect.top - top - (window.innerHeight - top) / 3, behavior: "auto" });
    }
  }

  function clearHighlight() {
    if (highlights) highlights["delete"](HIGHLIGHT);
    if (lastBlock) lastBlock.classList.remove(CURRENT);
    lastBlock = null;
  }

  // --- playing ------------------------------------------------------------------------------
  function show() {
    var total = sentences.length;
    if (state === "playing") {
      setText(playButton, labels.pause, "⏸");
      say(format(labels.reading, { n: index + 1, total: total }));
    } else if (state === "paused") {
      setText(playButton, labels.resume, "▶");
      say(format(labels.paused, { n: index + 1, total: total }));
    } else if (state === "idle") {
      setText(playButton, labels.play, "▶");
    }
    stopButton.hidden = state !== "playing" && state !== "paused";
  }

  function speakCurrent() {
    if (index >= sentences.length) { finish(labels.done); return; }
    var sentence = sentences[index];
    var mine = ++generation;
    var utterance = new Utterance(sentence.text);
    utterance.voice = sentence.voice;
    utterance.lang = sentence.voice.lang || sentence.lang;
    utterance.onend = function () {
      if (mine !== generation || state !== "playing") return;
      index += 1;
      speakCurrent();
    };
    utterance.onerror = function (event) {
      if (mine !== generation || state !== "playing") return;
      var error = event && event.error;
      if (error === "interrupted" || error === "canceled") return;
      finish(labels.error);
    };
    highlight(sentence);
    show();
    synth.speak(utterance);
  }

  function finish(message) {
    generation += 1;
    state = "idle";
    index = 0;
    clearHighlight();
    show();
    say(message);
  }

  function play() {
    if (state === "playing") { pause(); return; }
    if (state === "paused") { state = "playing"; speakCurrent(); return; }
    waitForVoices(function () {
      if (!voiceFor(pageLang)) { unavailable(labels.no_voice); return; }
      sentences = collect();
      index = 0;
      if (!sentences.length) { say(labels.done); return; }
      if (synth.speaking || synth.pending) synth.cancel();
      state = "playing";
      speakCurrent();
    });
  }

  function pause() {
    state = "paused";
    generation += 1;
    synth.cancel();
    show();
  }

  function stop() {
    generation += 1;
    state = "idle";
    synth.cancel();
    var hadFocus = document.activeElement === stopButton;
    finish(labels.stopped);
    if (hadFocus) playButton.focus();
  }

  playButton.addEventListener("click", function () {
    if (state === "unavailable") {
      voiceCache = {};
      checkVoices(); // voices may have arrived since
      if (state === "unavailable") return;
    }
    play();
  });
  stopButton.addEventListener("click", stop);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && (state === "playing" || state === "paused") && box.contains(document.activeElement)) stop();
  });
  window.addEventListener("pagehide", function () {
    if (state === "playing" || state === "paused") synth.cancel();
  });
})();
