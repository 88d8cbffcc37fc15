/*
 * Lays every slide out to fit the deck's size (1280×720) before reveal.js
 * starts, so nothing on a slide is cut or scrolled (tools/slides/README.md,
 * "How a slide is fitted"). It measures the real layout in this browser,
 * with its fonts, then:
 *
 * 1. scales a display equation that is wider than the slide down to the
 *    width (no glyph below MATH_GLYPH_PX; never clipped);
 * 2. draws each chart at the smallest size at which its axis and legend
 *    labels are still CHART_LABEL_PX tall;
 * 3. if the slide is still too tall, moves what does not fit to a new slide
 *    after it, titled "<heading> (cont.)": whole blocks (paragraphs, code,
 *    outputs) where possible; a list, a markdown table or a code block
 *    that alone does not fit is split between its items, rows or lines; a
 *    table or printed output that does not fit on a slide of its own is cut,
 *    with "… N more rows" (or lines); a continuation repeats the slide's
 *    speaker notes;
 *    A row of charts (slide-side-by-side) too wide for the slide, even
 *    with every chart at its smallest, is wrapped: one chart under the other.
 * 4. grows the charts again to fill the room that is left (up to
 *    MAX_CHART_SCALE and the slide's width).
 *
 * The same layout runs in the speaker view's frames and for ?print-pdf, so
 * slide numbers agree everywhere. `DeckFit.fit()` resolves when done;
 * `DeckFit.report` says what it did (slides added, blocks split or cut,
 * slides it could not fit), for a look in the browser's console.
 */
(function () {
  "use strict";

  /** Rendered size of chart labels, in px (tools/slides/measure.ts asserts 12). */
  var CHART_LABEL_PX = 12.2;
  var MAX_CHART_SCALE = 1.5;
  /** Smallest rendered size of any math glyph (sub- and superscripts included), in px. */
  var MATH_GLYPH_PX = 12.2;
  /** Fewest items, rows or lines worth leaving behind when a block is split. */
  var MIN_PART = 2;
  /** Fewest lines of code worth carrying to the next slide. */
  var MIN_TAIL = 4;

  var report = { added: 0, cut: 0, split: 0, unfitted: [] };

  function leaves() {
    return Array.prototype.slice.call(document.querySelectorAll(".reveal .slides section.deck-slide"));
  }

  /** Room kept free when fitting, in px: a few layouts differ by a pixel or two once reveal.js runs. */
  var SLACK = 6;

  /** The slide's content height with its padding (scrollHeight is never less than the room, so it cannot say how much is free). */
  function contentHeight(slide) {
    slide.style.height = "auto";
    var height = slide.getBoundingClientRect().height;
    slide.style.height = "";
    return height;
  }

  function fits(slide) {
    return contentHeight(slide) <= slide.clientHeight - SLACK;
  }

  /** The y (viewport px) content must end above: the slide's bottom less its padding. */
  function limitOf(slide) {
    var box = slide.getBoundingClientRect();
    return box.top + slide.clientHeight - parseFloat(getComputedStyle(slide).paddingBottom);
  }

  // ---- 1. equations ---------------------------------------------------------------------------

  function fitMath(slide) {
    var displays = slide.querySelectorAll(".katex-display, .output-latex");
    for (var i = 0; i < displays.length; i++) {
      var el = displays[i];
      if (el.scrollWidth <= el.clientWidth + 1) continue;
      // As small as the width needs, but no glyph below MATH_GLYPH_PX.
      var smallest = Infinity;
      var glyphs = el.querySelectorAll(".katex-html span");
      for (var g = 0; g < glyphs.length; g++) {
        if (glyphs[g].children.length === 0 && glyphs[g].textContent.replace(/[\s\u200b]/g, "")) smallest = Math.min(smallest, parseFloat(getComputedStyle(glyphs[g]).fontSize));
      }
      var minScale = smallest === Infinity ? 0.6 : Math.min(1, MATH_GLYPH_PX / smallest);
      var scale = 1;
      for (var round = 0; round < 4 && el.scrollWidth > el.clientWidth + 1 && scale > minScale; round++) {
        scale = Math.max(minScale, (scale * el.clientWidth) / el.scrollWidth - 0.01);
        el.style.fontSize = scale + "em";
      }
    }
  }

  // ---- 2. and 4. charts -----------------------------------------------------------------------

  /** A chart's natural size and the scales it may be drawn at. */
  function chartOf(el) {
    var width, height, minScale;
    if (el.tagName.toLowerCase() === "svg") {
      var vb = el.viewBox && el.viewBox.baseVal;
      width = el.width.baseVal.value || (vb && vb.width) || 600;
      height = el.height.baseVal.value || (vb && vb.height) || 400;
      var smallest = Infinity;
      var labels = el.querySelectorAll(".role-axis-label text, .role-axis-title text, .role-legend-label text, .role-legend-title text, .role-title text");
      for (var i = 0; i < labels.length; i++) {
        var size = parseFloat(labels[i].getAttribute("font-size") || getComputedStyle(labels[i]).fontSize);
        if (size > 0 && size < smallest) smallest = size;
      }
      minScale = smallest === Infinity ? 0.6 : CHART_LABEL_PX / smallest;
    } else {
      width = el.naturalWidth || 600;
      height = el.naturalHeight || 400;
      minScale = 0.8; // a bitmap's labels cannot be read; keep it near its size
    }
    return { el: el, width: width, height: height, minScale: minScale, maxScale: MAX_CHART_SCALE };
  }

  function chartsOf(slide) {
    var charts = [];
    var els = slide.querySelectorAll(".output-svg > svg, img.output-image");
    for (var i = 0; i < els.length; i++) charts.push(chartOf(els[i]));
    // The widest a chart may be: its column, or its share of a row of charts.
    for (var j = 0; j < charts.length; j++) {
      var chart = charts[j];
      chart.el.style.width = "0px";
      chart.el.style.height = "0px";
    }
    for (var k = 0; k < charts.length; k++) {
      var c = charts[k];
      var row = c.el.closest(".chart-row");
      var room;
      if (row && !row.classList.contains("chart-row-wrap")) {
        var members = row.querySelectorAll(".output-svg > svg, img.output-image");
        var total = 0;
        var totalMin = 0;
        for (var m = 0; m < members.length; m++) {
          var member = chartOf(members[m]);
          total += member.width;
          totalMin += member.width * member.minScale;
        }
        var gap = parseFloat(getComputedStyle(row).columnGap) || 0;
        var width = row.clientWidth - gap * (members.length - 1);
        if (totalMin > width) {
          // Too wide side by side at their smallest: one under the other (and maybe on the next slide).
          row.classList.add("chart-row-wrap");
          room = row.clientWidth;
        } else {
          room = (width * c.width) / total;
        }
      } else if (row) {
        room = row.clientWidth;
      } else {
        room = c.el.parentElement.clientWidth;
      }
      c.maxScale = Math.min(MAX_CHART_SCALE, room / c.width);
      if (c.maxScale < c.minScale) c.minScale = c.maxScale; // too wide for its labels: measure.ts will say so
    }
    return charts;
  }

  /** Draws every chart at t between its smallest (0) and largest (1) scale. */
  function sizeCharts(charts, t) {
    for (var i = 0; i < charts.length; i++) {
      var c = charts[i];
      var scale = c.minScale + t * (c.maxScale - c.minScale);
      c.el.style.width = (c.width * scale).toFixed(1) + "px";
      c.el.style.height = (c.height * scale).toFixed(1) + "px";
    }
  }

  function growCharts(slide) {
    var charts = chartsOf(slide);
    if (charts.length === 0) return;
    sizeCharts(charts, 1);
    if (fits(slide)) return;
    var low = 0;
    var high = 1;
    for (var round = 0; round < 7; round++) {
      var mid = (low + high) / 2;
      sizeCharts(charts, mid);
      if (fits(slide)) low = mid;
      else high = mid;
    }
    sizeCharts(charts, low);
  }

  // ---- 3. moving what does not fit to a new slide ---------------------------------------------

  /** Elements whose children are laid out one after another and may go to different slides. */
  function isContainer(el) {
    return el.matches(".fragment, .cell.markdown, .cell.code:not(.has-chart), .outputs, .chart-row-wrap");
  }

  /** The first block (in document order) that ends below `limit`, or null. */
  function firstOver(parent, limit) {
    for (var el = parent.firstElementChild; el; el = el.nextElementSibling) {
      if (el.matches("aside.notes, script, style")) continue;
      if (el.getBoundingClientRect().bottom <= limit + 0.5) continue;
      if (isContainer(el) && el.firstElementChild) {
        var inner = firstOver(el, limit);
        if (inner) return inner;
        continue;
      }
      return el;
    }
    return null;
  }

  /** The block before `el` in reading order within the slide (crossing containers), or null. */
  function previousBlock(el, slide) {
    for (var node = el; node && node !== slide; node = node.parentElement) {
      var prev = node.previousElementSibling;
      while (prev && prev.matches("aside.notes")) prev = prev.previousElementSibling;
      if (prev) {
        while (isContainer(prev) && prev.lastElementChild) prev = prev.lastElementChild;
        return prev;
      }
    }
    return null;
  }

  var isHeading = function (el) {
    return /^H[1-6]$/.test(el.tagName);
  };

  /**
   * Moves `node` and everything after it in `from` into `to`: each ancestor
   * between them is split, its copy in `to` (same class: a fragment stays a
   * fragment) taking the part from `node` on.
   */
  function moveTail(node, from, to) {
    var path = [];
    for (var n = node; n !== from; n = n.parentElement) path.unshift(n);
    var target = to;
    var later = [];
    for (var i = 0; i < path.length - 1; i++) {
      var shell = path[i].cloneNode(false);
      shell.removeAttribute("id");
      shell.removeAttribute("data-fragment-index");
      target.appendChild(shell);
      later.push([path[i].nextElementSibling, target]);
      target = shell;
    }
    move(node, target);
    for (var j = 0; j < later.length; j++) move(later[j][0], later[j][1]);
    // Containers emptied by the move would keep their margins at the bottom of `from`.
    for (var k = path.length - 2; k >= 0; k--) {
      if (!path[k].firstElementChild && !path[k].textContent.trim()) path[k].remove();
    }
  }

  /** Moves `el` and its following siblings (not speaker notes) into `target`. */
  function move(el, target) {
    while (el) {
      var next = el.nextElementSibling;
      if (!el.matches("aside.notes")) target.appendChild(el);
      el = next;
    }
  }

  /** "Heading (cont.)" for a slide continuing `slide`, or null when it has no heading. */
  function contHeading(slide) {
    var heading = slide.querySelector("h1, h2, h3");
    // A vertical slide without a heading continues its stack's topic.
    var stack = slide.parentElement;
    if (!heading && stack && stack.tagName === "SECTION") heading = stack.querySelector("section.deck-slide h1, section.deck-slide h2, section.deck-slide h3");
    if (!heading) return null;
    var copy = document.createElement(heading.tagName === "H1" ? "h2" : heading.tagName);
    copy.className = "deck-cont-title";
    copy.innerHTML = heading.innerHTML;
    var anchors = copy.querySelectorAll("[id]");
    for (var i = 0; i < anchors.length; i++) anchors[i].removeAttribute("id");
    if (!heading.classList.contains("deck-cont-title")) copy.appendChild(document.createTextNode(" (cont.)"));
    return copy;
  }

  /** Splits a list between items, or a markdown table between rows, so the first part ends above `limit`. */
  function splitItems(el, limit) {
    var isTable = el.tagName === "TABLE";
    var body = isTable ? el.tBodies[0] : el;
    if (!body) return false;
    var items = Array.prototype.filter.call(body.children, function (child) {
      return isTable || child.tagName === "LI";
    });
    var keep = 0;
    while (keep < items.length && items[keep].getBoundingClientRect().bottom <= limit) keep++;
    if (keep < MIN_PART || keep >= items.length) return false;
    var rest = el.cloneNode(false);
    rest.removeAttribute("id");
    if (isTable) {
      if (el.tHead) rest.appendChild(el.tHead.cloneNode(true));
      var tbody = body.cloneNode(false);
      rest.appendChild(tbody);
      for (var i = keep; i < items.length; i++) tbody.appendChild(items[i]);
    } else {
      if (el.tagName === "OL") rest.setAttribute("start", String((el.start || 1) + keep));
      for (var j = keep; j < items.length; j++) rest.appendChild(items[j]);
    }
    el.parentNode.insertBefore(rest, el.nextSibling);
    report.split++;
    return true;
  }

  /** How many lines of `pre` end above `limit`. */
  function linesAbove(pre, limit) {
    var style = getComputedStyle(pre);
    var line = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.4;
    var top = pre.getBoundingClientRect().top + parseFloat(style.paddingTop) + parseFloat(style.borderTopWidth);
    return Math.floor((limit - top - parseFloat(style.paddingBottom) - parseFloat(style.borderBottomWidth)) / line);
  }

  /** The text position just after the `n`-th newline of `root`, or null. */
  function afterNewline(root, n) {
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    var seen = 0;
    for (var node = walker.nextNode(); node; node = walker.nextNode()) {
      var text = node.textContent;
      for (var i = 0; i < text.length; i++) {
        if (text[i] === "\n" && ++seen === n) return { node: node, offset: i + 1 };
      }
    }
    return null;
  }

  /** Splits a code block between lines (markup stays balanced: Range.extractContents). */
  function splitPre(pre, limit) {
    var code = pre.querySelector("code") || pre;
    // Wrapped lines take more room than one: keep fewer lines until the first part fits.
    // A continuation of two closing lines reads badly: leave at least MIN_TAIL lines for the next slide.
    var total = code.textContent.replace(/\n$/, "").split("\n").length;
    for (var keep = Math.min(linesAbove(pre, limit), total - MIN_TAIL); keep >= MIN_PART; keep--) {
      var at = afterNewline(code, keep);
      if (!at) continue; // fewer lines than that
      var range = document.createRange();
      range.setStart(at.node, at.offset);
      range.setEnd(code, code.childNodes.length);
      var tail = range.extractContents();
      if (tail.textContent.trim() !== "" && pre.getBoundingClientRect().bottom <= limit + 0.5) {
        var rest = pre.cloneNode(false);
        var restCode = code === pre ? rest : rest.appendChild(code.cloneNode(false));
        restCode.appendChild(tail);
        pre.parentNode.insertBefore(rest, pre.nextSibling);
        report.split++;
        return true;
      }
      code.appendChild(tail); // put it back
      code.normalize();
    }
    return false;
  }

  /** Cuts a table or a printed output to what ends above `limit`, with "… N more rows/lines". */
  function cutOutput(output, limit) {
    var note = document.createElement("p");
    note.className = "deck-more-rows";
    var table = output.querySelector("table");
    var pre = output.querySelector("pre");
    if (table && table.tBodies[0]) {
      output.appendChild(note);
      var rows = Array.prototype.slice.call(table.tBodies[0].rows);
      var removed = 0;
      note.textContent = "…";
      while (rows.length > 1 && output.getBoundingClientRect().bottom > limit) {
        rows.pop().remove();
        removed++;
        note.textContent = "… " + removed + " more row" + (removed === 1 ? "" : "s");
      }
      if (removed === 0) note.remove();
      else report.cut++;
      return removed > 0;
    }
    if (pre) {
      var lines = pre.textContent.replace(/\n$/, "").split("\n");
      var keep = Math.max(1, linesAbove(pre, limit) - 1);
      if (keep >= lines.length) return false;
      pre.textContent = lines.slice(0, keep).join("\n");
      note.textContent = "… " + (lines.length - keep) + " more line" + (lines.length - keep === 1 ? "" : "s");
      output.appendChild(note);
      while (output.getBoundingClientRect().bottom > limit && keep > 1) {
        keep--;
        pre.textContent = lines.slice(0, keep).join("\n");
        note.textContent = "… " + (lines.length - keep) + " more lines";
      }
      report.cut++;
      return true;
    }
    return false;
  }

  /** Splits `block` in place so that a first part fits above `limit`; false when it cannot be split. */
  function splitBlock(block, limit) {
    if (block.matches("ul, ol") || (block.tagName === "TABLE" && block.closest(".cell.markdown"))) return splitItems(block, limit);
    if (block.matches("pre")) return splitPre(block, limit);
    return false;
  }

  /**
   * Moves what does not fit on `slide` to a new slide after it (returned), or
   * cuts a block that cannot fit anywhere; null when nothing can be done.
   */
  function paginate(slide) {
    var limit = limitOf(slide);
    var block = firstOver(slide, limit);
    if (!block) {
      // Every block ends above the limit, but a last margin does not: move the limit up by the excess.
      limit -= contentHeight(slide) - slide.clientHeight + SLACK + 1;
      block = firstOver(slide, limit);
    }
    if (!block) return null;
    var before = previousBlock(block, slide);
    var alone = before === null || (isHeading(before) && previousBlock(before, slide) === null);
    // A list, table or code that overflows is split where it crosses the bottom, leaving a part behind.
    if (splitBlock(block, limit)) {
      block = block.nextElementSibling;
      before = previousBlock(block, slide);
      alone = false;
    } else if (alone) {
      // Nothing to leave behind: the block is all this slide has; cut it if it is an output.
      if (block.matches(".output") && cutOutput(block, limit)) return slide;
      return null;
    }
    // Keep a heading with what follows it.
    if (before && isHeading(before) && previousBlock(before, slide) !== null) block = before;
    var next = slide.cloneNode(false);
    next.removeAttribute("id");
    next.classList.add("deck-cont");
    var heading = contHeading(slide);
    if (heading && !isHeading(block)) next.appendChild(heading);
    moveTail(block, slide, next);
    // The presenter keeps the slide's notes while it continues.
    var notes = slide.querySelector("aside.notes");
    if (notes) next.appendChild(notes.cloneNode(true));
    slide.parentNode.insertBefore(next, slide.nextSibling);
    report.added++;
    return next;
  }

  // ---- the whole deck --------------------------------------------------------------------------

  function fitSlide(slide, queue) {
    fitMath(slide);
    sizeCharts(chartsOf(slide), 0);
    for (var round = 0; round < 40 && !fits(slide); round++) {
      var result = paginate(slide);
      if (result === null) break;
      if (result !== slide) queue.unshift(result);
    }
    growCharts(slide);
    if (!fits(slide)) report.unfitted.push((slide.querySelector("h1, h2, h3, p") || slide).textContent.trim().slice(0, 60));
  }

  function decoded() {
    var images = document.querySelectorAll(".reveal img");
    var waits = [];
    for (var i = 0; i < images.length; i++) if (images[i].decode) waits.push(images[i].decode().catch(function () {}));
    return Promise.all(waits);
  }

  function fit() {
    var root = document.documentElement;
    root.classList.add("deck-fitting");
    void document.body.offsetHeight; // lay out once so the fonts in use start loading
    return Promise.all([document.fonts.ready, decoded()]).then(function () {
      var queue = leaves();
      while (queue.length > 0) fitSlide(queue.shift(), queue);
      root.classList.remove("deck-fitting");
      root.setAttribute("data-deck-fitted", "");
      return report;
    });
  }

  window.DeckFit = { fit: fit, report: report };
})();
