/*
 * Behaviour of the lesson decks on top of reveal.js (loaded after it; the
 * Reveal.on calls are queued until Reveal.initialize runs).
 *
 * Lesson slides are dense, so a slide whose content is taller than the
 * screen scrolls (slides.css). Two helpers keep the presenter oriented:
 * - a slide with more content below gets the class "deck-more", which shows
 *   a "more below" marker until it is scrolled to the end;
 * - a fragment that appears below the visible part is scrolled into view.
 */
(function () {
  "use strict";

  /** The scale reveal.js draws slides at (bounding boxes are scaled, scroll offsets are not). */
  function scaleOf(slide) {
    return slide.clientHeight > 0 ? slide.getBoundingClientRect().height / slide.clientHeight : 1;
  }

  function markMore(slide) {
    if (!slide || !slide.classList.contains("deck-slide")) return;
    var more = slide.scrollTop + slide.clientHeight < slide.scrollHeight - 4;
    slide.classList.toggle("deck-more", more);
  }

  function markCurrent() {
    markMore(Reveal.getCurrentSlide());
  }

  Reveal.on("ready", markCurrent);
  Reveal.on("slidechanged", markCurrent);
  Reveal.on("resize", markCurrent);
  document.addEventListener(
    "scroll",
    function (event) {
      if (event.target instanceof Element) markMore(event.target);
    },
    true,
  );

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
