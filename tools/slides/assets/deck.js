/*
 * Behaviour of the lesson decks on top of reveal.js (loaded after it; the
 * Reveal.on call is queued until Reveal.initialize runs).
 *
 * fit.js makes every slide fit the screen. Should one still be taller (other
 * fonts than the ones it was measured with), it scrolls, and a fragment that
 * appears below the visible part is scrolled into view.
 */
(function () {
  "use strict";

  /** The scale reveal.js draws slides at (bounding boxes are scaled, scroll offsets are not). */
  function scaleOf(slide) {
    return slide.clientHeight > 0 ? slide.getBoundingClientRect().height / slide.clientHeight : 1;
  }

  Reveal.on("fragmentshown", function (event) {
    var fragment = event.fragment;
    var slide = fragment.closest("section.deck-slide");
    if (!slide) return;
    var view = slide.getBoundingClientRect();
    var box = fragment.getBoundingClientRect();
    if (box.bottom <= view.bottom) return;
    // Bring its bottom into view, but never scroll its top out of view.
    var by = Math.min(box.bottom - view.bottom, box.top - view.top) / scaleOf(slide);
    slide.scrollBy({ top: by + 8, behavior: "smooth" });
  });
})();
