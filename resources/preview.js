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

  // Whether two elements have the same name and attributes (their content aside).
  function sameShell(a, b) {
    if (a.nodeType !== 1 || b.nodeType !== 1 || a.nodeName !== b.nodeName) {
      return false;
    }
    if (a.attributes.length !== b.attributes.length) {
      return false;
    }
    for (const attribute of a.attributes) {
      if (b.getAttribute(attribute.name) !== attribute.value) {
        return false;
      }
    }
    return true;
  }

  // Make `old` (in the page) equal to `fresh` (just parsed), replacing only the parts that
  // differ: a keystroke in one footnote replaces that note's item, not the whole list, so
  // Chromium restyles and lays out one item. Afterwards the page holds what replacing `old`
  // by `fresh` would give: each pair is equal, or `fresh`'s node takes `old`'s place.
  // Each child is compared once, where it is a child: the whole subtree is compared again
  // only along the path to what changed.
  function morph(old, fresh, depth) {
    if (depth > 0 && sameShell(old, fresh) && old.childNodes.length === fresh.childNodes.length) {
      const olds = Array.from(old.childNodes);
      const freshes = Array.from(fresh.childNodes);
      for (let i = 0; i < olds.length; i++) {
        if (!olds[i].isEqualNode(freshes[i])) {
          morph(olds[i], freshes[i], depth - 1);
        }
      }
      return;
    }
    old.replaceWith(fresh); // (a piece that is the same text again is replaced: harmless)
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

  // Where top-level element `element` is, when it has a source line and a place on the page
  // (null: no data-line, or not laid out, i.e. hidden: no place to scroll to).
  function placeOf(element) {
    const value = element.getAttribute("data-line");
    if (value === null) {
      return null;
    }
    const rect = element.getBoundingClientRect();
    if (rect.height === 0 && rect.width === 0 && element.className !== "bs-jump-break") {
      return null;
    }
    return { line: Number(value), top: rect.top + window.scrollY, height: rect.height };
  }

  // The first placed element at index `from` or after it, before `stop`: [index, place], or
  // null.
  function placed(children, from, stop) {
    for (let i = from; i < stop; i++) {
      const place = placeOf(children[i]);
      if (place) {
        return [i, place];
      }
    }
    return null;
  }

  // Where the stretch of `block` ends: the next block's line and top, or for the last block
  // the document's last line and the block's bottom.
  function endOf(block, next, lastLine) {
    if (next) {
      return [next.line, next.top];
    }
    return [Math.max(lastLine, block.line + 1), block.top + block.height];
  }

  // The last placed element whose `key` ("line" or "top") is <= value, and the placed one
  // after it: [index, place, next place or null]; index -1 when none is (place: the first).
  // A binary search: thousands of blocks cost a dozen layout queries, not thousands (each
  // query checks the whole page's layout: ~40 ms a scroll at 100,000 words, walking them all).
  // Both keys grow with the index among placed elements; probes step over the others.
  function around(key, value) {
    const parent = content();
    const children = parent ? parent.children : [];
    let low = 0;
    let high = children.length - 1;
    let best = null;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const found = placed(children, middle, high + 1);
      if (!found) {
        high = middle - 1;
      } else if (found[1][key] <= value) {
        best = found;
        low = found[0] + 1;
      } else {
        high = middle - 1;
      }
    }
    if (!best) {
      const first = placed(children, 0, children.length);
      return first ? [-1, first[1], null] : null;
    }
    const next = placed(children, best[0] + 1, children.length);
    return [best[0], best[1], next ? next[1] : null];
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
    // [patch ms, from the patch to the next frame's start ms, that frame to the next ms,
    // when the patch started (ms since the epoch)]. The time to the next frame includes
    // style and layout Chromium must redo.
    timings: [],
    timePatch(started, patched) {
      const entry = [patched - started, -1, -1, performance.timeOrigin + started];
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
      const one = removed === 1 && htmls.length === 1 && counts[start] === 1;
      const holder = one ? parse(htmls[0]) : null;
      if (holder && holder.childNodes.length === 1) {
        morph(parent.childNodes[at], holder.firstChild, 8); // one node stays one: counts hold
      } else {
        const gone = nodeIndex(counts, start + removed) - at;
        if (gone > 0) {
          const range = document.createRange();
          range.setStartBefore(parent.childNodes[at]);
          range.setEndAfter(parent.childNodes[at + gone - 1]);
          range.deleteContents();
        }
        const before = parent.childNodes[at] || null;
        counts.splice(start, removed, ...insert(parent, htmls, before));
      }
      for (const [first, end, lines] of shifts) {
        shift(parent, counts, first, end, lines);
      }
      return true;
    },

    // Scroll so that source line `line` (fractional: within a block) is at the top.
    scrollToLine(line, lastLine) {
      const found = around("line", line);
      let y = 0;
      if (found && found[0] >= 0) {
        const [, block, next] = found;
        const [endLine, endTop] = endOf(block, next, lastLine);
        const part = endLine > block.line ? (line - block.line) / (endLine - block.line) : 0;
        y = block.top + (endTop - block.top) * Math.min(1, Math.max(0, part));
      } else if (found && found[1].line > 0) {
        y = found[1].top * Math.max(0, line) / found[1].line; // above the first block
      }
      window.scrollTo(0, y);
      return window.scrollY;
    },

    // The source line (fractional) shown at page offset `y` (the top of the view).
    lineAt(y, lastLine) {
      y += 1; // block tops are fractional, scroll offsets whole pixels
      const found = around("top", y);
      if (!found) {
        return 0;
      }
      const [index, block, next] = found;
      if (index < 0) {
        return block.top > 0 ? block.line * Math.max(0, y) / block.top : block.line;
      }
      const [endLine, endTop] = endOf(block, next, lastLine);
      const part = endTop > block.top ? (y - block.top) / (endTop - block.top) : 0;
      return block.line + (endLine - block.line) * Math.min(1, Math.max(0, part));
    },
  };
})();
