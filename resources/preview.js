// Broadsheet's own helpers in the preview page. They run in an isolated world (the post's
// scripts never run: JavaScript is off for the page). window.__bs patches #content piece by
// piece and maps between scroll positions and source lines (the data-line markers).
(function () {
  "use strict";
  if (window.__bs) {
    return;
  }

  function content() {
    return document.getElementById("content");
  }

  // Parse a piece the way innerHTML on #content would (an <article> context); scripts in it
  // are never run.
  function parse(html) {
    const holder = document.createElement("article");
    holder.innerHTML = html;
    return holder;
  }

  function insert(parent, htmls, before) {
    const counts = [];
    for (const html of htmls) {
      const holder = parse(html);
      counts.push(holder.childNodes.length);
      while (holder.firstChild) {
        parent.insertBefore(holder.firstChild, before);
      }
    }
    return counts;
  }

  function nodeIndex(counts, piece) {
    let index = 0;
    for (let i = 0; i < piece; i++) {
      index += counts[i];
    }
    return index;
  }

  // Add `lines` to the data-line markers of the top-level nodes of pieces [first, end).
  function shift(parent, counts, first, end, lines) {
    const total = nodeIndex(counts, end) - nodeIndex(counts, first);
    let node = parent.childNodes[nodeIndex(counts, first)];
    for (let k = 0; k < total && node; k++, node = node.nextSibling) {
      if (node.nodeType === 1 && node.hasAttribute("data-line")) {
        node.setAttribute("data-line", String(Number(node.getAttribute("data-line")) + lines));
      }
    }
  }

  // Top-level elements with a source line, and where they are on the page.
  function marked() {
    const found = [];
    const parent = content();
    if (!parent) {
      return found;
    }
    for (const element of parent.children) {
      const value = element.getAttribute("data-line");
      if (value === null) {
        continue;
      }
      const rect = element.getBoundingClientRect();
      if (rect.height === 0 && rect.width === 0 && element.className !== "bs-jump-break") {
        continue; // not laid out (hidden): it has no place to scroll to
      }
      found.push({ line: Number(value), top: rect.top + window.scrollY, height: rect.height });
    }
    return found;
  }

  // The block holding `line`: the last one starting at or before it, and the one after it.
  function around(blocks, key, value) {
    let low = 0;
    let high = blocks.length - 1;
    let best = -1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      if (blocks[middle][key] <= value) {
        best = middle;
        low = middle + 1;
      } else {
        high = middle - 1;
      }
    }
    return best;
  }

  const MISSING = "bs-missing-picture";

  // A local picture that does not load is a file that is not there: say so where the picture
  // should be, in words, instead of the browser's small broken-image icon. Only the preview
  // does this (the published HTML is untouched). The box takes the picture's place, so the
  // number of top-level nodes that patch() counts stays the same; the <img> stays inside it.
  function showMissingPicture(event) {
    const img = event.target;
    if (!(img instanceof HTMLImageElement) || img.closest("." + MISSING)) {
      return;
    }
    let url;
    try {
      url = new URL(img.getAttribute("src") || "", document.baseURI);
    } catch (_error) {
      return;
    }
    if (url.protocol !== "file:") {
      return; // web pictures: the preview's network rules explain those
    }
    let name = url.pathname.split("/").pop() || url.pathname;
    try {
      name = decodeURIComponent(name);
    } catch (_error) {
      // keep the name as written
    }
    const box = document.createElement("span");
    box.className = MISSING;
    box.setAttribute("role", "img");
    box.setAttribute("aria-label", "picture not found: " + name);
    box.textContent = "picture not found: " + name;
    // A picture that is a link's only content takes the link with it into the box, so the
    // note has the text's colour in every look rather than the link's.
    let gone = img;
    const parent = img.parentElement;
    const onlyChild = parent && parent.children.length === 1 && !parent.textContent.trim();
    if (onlyChild && parent.tagName === "A") {
      gone = parent;
    }
    gone.replaceWith(box);
    gone.hidden = true;
    box.appendChild(gone);
  }

  // Error events do not bubble: listen while they travel down (capture).
  document.addEventListener("error", showMissingPicture, true);

  window.__bs = {
    counts: null, // number of top-level DOM nodes of each piece, in order

    // The post's title above the body; set as text, so markup in a title stays text.
    setTitle(title) {
      const heading = document.getElementById("bs-title");
      if (!heading) {
        return false;
      }
      heading.textContent = title;
      heading.hidden = !title;
      return true;
    },

    // Replace all of #content by these pieces.
    reset(htmls) {
      const parent = content();
      if (!parent) {
        this.counts = null;
        return false;
      }
      parent.textContent = "";
      this.counts = insert(parent, htmls, null);
      return true;
    },

    // Replace pieces [start, start + removed) by `htmls`, then shift markers of moved pieces.
    // False when the page does not hold what the caller believes (it was reloaded).
    patch(expected, start, removed, htmls, shifts) {
      const started = performance.now();
      const done = this.patchContent(expected, start, removed, htmls, shifts);
      if (done) {
        this.timePatch(started, performance.now());
      }
      return done;
    },

    // How long patches take in the page, kept for benchmarks/preview.py (the last 1,000):
    // [patch ms, from the patch to the next frame's start ms, that frame to the next ms].
    // The time to the next frame includes style and layout Chromium must redo.
    timings: [],
    timePatch(started, patched) {
      const entry = [patched - started, -1, -1];
      if (this.timings.length >= 1000) {
        this.timings.shift();
      }
      this.timings.push(entry);
      requestAnimationFrame((frame) => {
        entry[1] = performance.now() - patched;
        requestAnimationFrame((next) => {
          entry[2] = next - frame;
        });
      });
    },

    patchContent(expected, start, removed, htmls, shifts) {
      const parent = content();
      const counts = this.counts;
      if (!parent || !counts || counts.length !== expected) {
        return false;
      }
      if (nodeIndex(counts, counts.length) !== parent.childNodes.length) {
        return false;
      }
      const at = nodeIndex(counts, start);
      const gone = nodeIndex(counts, start + removed) - at;
      if (gone > 0) {
        const range = document.createRange();
        range.setStartBefore(parent.childNodes[at]);
        range.setEndAfter(parent.childNodes[at + gone - 1]);
        range.deleteContents();
      }
      const before = parent.childNodes[at] || null;
      counts.splice(start, removed, ...insert(parent, htmls, before));
      for (const [first, end, lines] of shifts) {
        shift(parent, counts, first, end, lines);
      }
      return true;
    },

    // Scroll so that source line `line` (fractional: within a block) is at the top.
    scrollToLine(line, lastLine) {
      const blocks = marked();
      let y = 0;
      const index = around(blocks, "line", line);
      if (index >= 0) {
        const block = blocks[index];
        const next = blocks[index + 1];
        const endLine = next ? next.line : Math.max(lastLine, block.line + 1);
        const endTop = next ? next.top : block.top + block.height;
        const part = endLine > block.line ? (line - block.line) / (endLine - block.line) : 0;
        y = block.top + (endTop - block.top) * Math.min(1, Math.max(0, part));
      } else if (blocks.length && blocks[0].line > 0) {
        y = blocks[0].top * Math.max(0, line) / blocks[0].line; // above the first block
      }
      window.scrollTo(0, y);
      return window.scrollY;
    },

    // The source line (fractional) shown at page offset `y` (the top of the view).
    lineAt(y, lastLine) {
      const blocks = marked();
      if (!blocks.length) {
        return 0;
      }
      y += 1; // block tops are fractional, scroll offsets whole pixels
      const index = around(blocks, "top", y);
      if (index < 0) {
        const first = blocks[0];
        return first.top > 0 ? first.line * Math.max(0, y) / first.top : first.line;
      }
      const block = blocks[index];
      const next = blocks[index + 1];
      const endLine = next ? next.line : Math.max(lastLine, block.line + 1);
      const endTop = next ? next.top : block.top + block.height;
      const part = endTop > block.top ? (y - block.top) / (endTop - block.top) : 0;
      return block.line + (endLine - block.line) * Math.min(1, Math.max(0, part));
    },
  };
})();
