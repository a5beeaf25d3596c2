// The live preview's own script. It runs in the page's ApplicationWorld (an isolated world):
// the page itself has JavaScript switched off, so a draft's scripts never run, while the
// editor patches the DOM through these functions. The body's DOM stays exactly the export's:
// ".article-body" holds a "\n" text node, then each block's nodes followed by "\n".
(function () {
  "use strict";
  if (window.__articlePreview) {
    return;
  }
  // A long body's blocks sit in chunks: plain <div>s of about CHUNK_NODES / 2 top-level nodes
  // each, with no box of their own (no margin, padding or border, so the blocks' margins
  // collapse through them exactly as in the export). An edit then lays out its own chunk and
  // places the chunks, not every block of the body: at 100,000 words the layout a keystroke
  // forces went from 4 ms to well under 1. Shorter bodies keep the export's DOM exactly.
  const CHUNKED_FROM = 256; // blocks
  const CHUNK_NODES = 128; // a chunk holding more is split into chunks of half as many
  // Chunks between the first and the last are neither laid out nor painted until they come
  // near the view (their last height kept meanwhile): showing another tab's article on this
  // page lays out a screen, not 20,000 words (40 -> 18 ms). Positions read through the DOM lay
  // a chunk out first. Such a chunk keeps its blocks' margins inside it, where the export
  // collapses the margins of two blocks that meet: each chunk after the first is pulled up by
  // the smaller of the two (fitChunk), so that every block stands exactly where it does in
  // the export. The first and last chunks let margins through to the body's neighbours.
  const CHUNK_STYLE = ".article-body > [data-preview-chunk]:not(:first-child):not(:last-child) " +
    "{ content-visibility: auto; contain-intrinsic-size: auto 2400px; }";
  const chunks = new WeakSet();
  let nodes = []; // each block's top-level nodes ("\n" text nodes included), in order

  function root() {
    return document.querySelector(".article-body");
  }

  function parse(html) {
    const template = document.createElement("template");
    template.innerHTML = html ? html + "\n" : "";
    return template.content;
  }

  // The export writes "\n" before the blocks and "\n" after each; an empty body is "\n\n".
  function fixLead(body) {
    const empty = nodes.every((list) => list.length === 0);
    if (body.firstChild && body.firstChild.nodeType === Node.TEXT_NODE) {
      body.firstChild.data = empty ? "\n\n" : "\n";
    }
  }

  function newChunk() {
    const chunk = document.createElement("div");
    chunk.setAttribute("data-preview-chunk", "");
    chunks.add(chunk);
    return chunk;
  }

  function isChunk(node) {
    return chunks.has(node);
  }

  // A long body's nodes, not yet in chunks, put into chunks half full (room to grow). Where
  // the chunks meet is measured with CHUNK_STYLE switched off: no chunk is then skipped, and
  // the measuring takes one pass of style over the body (through skipped chunks it took one
  // pass each: 30-90 ms at 20,000 words).
  function chunkIfLong(body) {
    if (nodes.length < CHUNKED_FROM) {
      return;
    }
    let style = document.getElementById("__article-preview-chunks");
    if (!style) {
      style = document.createElement("style");
      style.id = "__article-preview-chunks";
      style.textContent = CHUNK_STYLE;
      document.head.appendChild(style);
    }
    style.disabled = true;
    const flat = nodes.flat();
    const size = CHUNK_NODES / 2;
    for (let start = 0; start < flat.length; start += size) {
      const chunk = newChunk();
      chunk.append(...flat.slice(start, start + size));
      body.appendChild(chunk);
    }
    for (let chunk = body.firstElementChild; chunk; chunk = chunk.nextElementSibling) {
      fitChunk(chunk);
    }
    style.disabled = false;
  }

  // The margin an element's edge ("top" or "bottom") brings to a meeting with its neighbour:
  // its own, or a first (last) child's that collapses through it, whichever is larger. Read
  // as computed values (computedStyleMap): getComputedStyle's margins are used values, and
  // asking for them lays the whole body out (30-60 ms at 20,000 words).
  function edgeMargin(element, side) {
    let largest = 0;
    for (let e = element; e; e = edgeChild(e, side)) {
      const style = e.computedStyleMap();
      const display = style.get("display").toString();
      if (display.includes("inline") || display === "none" || display === "contents") {
        return largest; // no vertical margin of its own to bring
      }
      largest = Math.max(largest, pixels(style.get(`margin-${side}`)));
      if ((display !== "block" && display !== "list-item") ||
          style.get("overflow-y").toString() !== "visible" ||
          pixels(style.get(`padding-${side}`)) > 0 ||
          (style.get(`border-${side}-style`).toString() !== "none" &&
           pixels(style.get(`border-${side}-width`)) > 0)) {
        return largest; // its box holds its children's margins
      }
    }
    return largest;
  }

  // The first (last) child element, if only blank text stands before (after) it.
  function edgeChild(element, side) {
    let node = side === "top" ? element.firstChild : element.lastChild;
    while (node && node.nodeType !== Node.ELEMENT_NODE) {
      if (node.nodeType === Node.TEXT_NODE && node.data.trim()) {
        return null;
      }
      node = side === "top" ? node.nextSibling : node.previousSibling;
    }
    return node;
  }

  function pixels(value) {
    return value instanceof CSSUnitValue && value.unit === "px" ? value.value : 0;
  }

  // What the export's collapsing takes away where two blocks meet (see CHUNK_STYLE).
  function pullBetween(last, first) {
    return last && first ? Math.min(edgeMargin(last, "bottom"), edgeMargin(first, "top")) : 0;
  }

  function setPull(chunk, pull) {
    const value = pull > 0 ? `-${pull}px` : "";
    if (chunk.style.marginTop !== value) {
      chunk.style.marginTop = value;
    }
  }

  function fitChunk(chunk) {
    const previous = chunk.previousElementSibling;
    setPull(chunk, previous && isChunk(previous)
      ? pullBetween(previous.lastElementChild, chunk.firstElementChild) : 0);
  }

  // A chunk grown past CHUNK_NODES split into chunks half full; the new ones, in order.
  function splitIfFull(chunk) {
    const children = Array.from(chunk.childNodes);
    const pieces = [];
    if (children.length <= CHUNK_NODES) {
      return pieces;
    }
    let anchor = chunk.nextSibling;
    for (let start = CHUNK_NODES / 2; start < children.length; start += CHUNK_NODES / 2) {
      const piece = newChunk();
      piece.append(...children.slice(start, start + CHUNK_NODES / 2));
      chunk.parentNode.insertBefore(piece, anchor);
      pieces.push(piece);
    }
    return pieces;
  }

  function blockElement(block) {
    for (let b = Math.max(0, block); b < nodes.length; b++) {
      for (const node of nodes[b]) {
        if (node.nodeType === Node.ELEMENT_NODE) {
          return node;
        }
      }
    }
    return null;
  }

  const api = {
    // Take over the body the page was loaded with (or fill an empty shell) for these blocks.
    init(blocks) {
      const body = root();
      if (!body) {
        return -1;
      }
      const fragments = blocks.map(parse);
      const total = fragments.reduce((sum, fragment) => sum + fragment.childNodes.length, 0);
      const matches = body.childNodes.length === total + 1 &&
        body.firstChild && body.firstChild.nodeType === Node.TEXT_NODE;
      if (matches) { // the page's own nodes, after the "\n" the template puts first
        let next = body.firstChild.nextSibling;
        nodes = fragments.map((fragment) => {
          const list = [];
          for (let k = 0; k < fragment.childNodes.length; k++, next = next.nextSibling) {
            list.push(next);
          }
          return list;
        });
      } else {
        body.textContent = "\n";
        nodes = fragments.map((fragment) => Array.from(fragment.childNodes));
        fragments.forEach((fragment) => body.appendChild(fragment));
      }
      chunkIfLong(body);
      fixLead(body);
      return nodes.length;
    },

    // Show another article on this page (the window's tabs share one): ``html`` is the
    // export's page for it with an empty body, whose <html> attributes, head and body replace
    // this one's; then its blocks, its base URL (for relative images and links) and its place.
    adopt(html, base, blocks, y) {
      const page = new DOMParser().parseFromString(html, "text/html");
      const here = document.documentElement;
      for (const name of ["lang", "data-theme"]) {
        const value = page.documentElement.getAttribute(name);
        if (value === null) {
          here.removeAttribute(name);
        } else {
          here.setAttribute(name, value);
        }
      }
      const link = page.createElement("base");
      link.setAttribute("href", base);
      page.head.prepend(link);
      document.head.replaceChildren(...page.head.childNodes);
      document.body.replaceChildren(...page.body.childNodes);
      nodes = [];
      api.init(blocks);
      window.scrollTo(0, y);
      return window.innerWidth;
    },

    // Replace blocks [start, start + removed) with the given blocks' HTML.
    patch(start, removed, blocks) {
      const body = root();
      if (!body) {
        return -1;
      }
      let after = null; // the first node after the replaced blocks
      for (let b = start + removed; b < nodes.length && !after; b++) {
        after = nodes[b][0] || null;
      }
      const emptied = new Set();
      for (let b = start; b < start + removed; b++) {
        for (const node of nodes[b]) {
          const parent = node.parentNode;
          node.remove();
          if (isChunk(parent)) {
            emptied.add(parent);
          }
        }
      }
      const last = body.lastChild;
      const parent = after ? after.parentNode : (isChunk(last) ? last : body);
      const added = [];
      for (const html of blocks) {
        const fragment = parse(html);
        added.push(Array.from(fragment.childNodes));
        parent.insertBefore(fragment, after);
      }
      nodes.splice(start, removed, ...added);
      // The chunks whose first or last block may have changed, and those after them.
      const refit = new Set();
      const touch = (chunk) => {
        refit.add(chunk);
        const next = chunk.nextElementSibling;
        if (next && isChunk(next)) {
          refit.add(next);
        }
      };
      emptied.forEach((chunk) => {
        if (chunk.firstChild) {
          touch(chunk);
          return;
        }
        const next = chunk.nextElementSibling;
        chunk.remove();
        if (next && isChunk(next)) {
          refit.add(next);
        }
      });
      if (isChunk(parent)) {
        touch(parent);
        splitIfFull(parent).forEach(touch);
      } else {
        chunkIfLong(body);
      }
      refit.forEach((chunk) => {
        if (chunk.isConnected) {
          fitChunk(chunk);
        }
      });
      fixLead(body);
      return nodes.length;
    },

    // The body's HTML as the export writes it (chunks left out): tests compare the two.
    bodyHtml() {
      const body = root();
      if (!body) {
        return null;
      }
      const copy = document.createElement("template"); // serialised as innerHTML would
      nodes.forEach((list) => list.forEach((node) => copy.content.appendChild(
        node.cloneNode(true))));
      return body.firstChild.data + copy.innerHTML;
    },

    // The text of one block (the benchmark's read-back looks for what was typed there).
    blockText(block) {
      return block >= 0 && block < nodes.length
        ? nodes[block].map((node) => node.textContent).join("") : null;
    },

    // Swap the article header, and the related aside (html "" removes it).
    setHeader(html) {
      const old = document.querySelector("header.article-header");
      const template = document.createElement("template");
      template.innerHTML = html;
      const fresh = template.content.querySelector("header");
      if (old && fresh) {
        old.replaceWith(fresh);
      }
    },

    setRelated(html) {
      const old = document.querySelector("aside.related");
      const template = document.createElement("template");
      template.innerHTML = html;
      const fresh = template.content.querySelector("aside");
      if (old && fresh) {
        old.replaceWith(fresh);
      } else if (old) {
        const next = old.nextSibling;
        if (next && next.nodeType === Node.TEXT_NODE && next.data.trim() === "") {
          next.remove();
        }
        old.remove();
      } else if (fresh) {
        const body = root();
        const article = body ? body.parentNode : null;
        if (article) {
          const anchor = body.nextSibling ? body.nextSibling.nextSibling : null;
          article.insertBefore(fresh, anchor);
          article.insertBefore(document.createTextNode("\n"), anchor);
        }
      }
    },

    setTheme(theme) {
      if (theme) {
        document.documentElement.setAttribute("data-theme", theme);
      } else {
        document.documentElement.removeAttribute("data-theme");
      }
      const meta = document.querySelector('meta[name="color-scheme"]');
      if (meta) {
        meta.setAttribute("content", theme || "light dark");
      }
    },

    setCodeCss(css) {
      let style = document.getElementById("__article-preview-code-css");
      if (!css) {
        if (style) {
          style.remove();
        }
        return;
      }
      const existing = Array.from(document.head.querySelectorAll("style"))
        .some((node) => node !== style && node.textContent.includes(".codehilite"));
      if (existing) {
        return;
      }
      if (!style) {
        style = document.createElement("style");
        style.id = "__article-preview-code-css";
        document.head.appendChild(style);
      }
      style.textContent = css;
    },

    // Scroll block into view only when it is off-screen: the preview keeps its place otherwise.
    reveal(block) {
      const element = blockElement(block);
      if (!element) {
        return false;
      }
      const rect = element.getBoundingClientRect();
      const height = window.innerHeight || document.documentElement.clientHeight;
      if (rect.bottom < 0 || rect.top > height) {
        element.scrollIntoView({ block: "center" });
        return true;
      }
      return false;
    },

    // Scroll so that the block's top is at the top of the view (block 0: the page's top,
    // headline included); the editor's scroll sync calls it.
    scrollToBlock(block) {
      if (block <= 0) {
        window.scrollTo(0, 0);
        return true;
      }
      const element = blockElement(block);
      if (!element) {
        return false;
      }
      window.scrollTo(0, window.scrollY + element.getBoundingClientRect().top - 8);
      return true;
    },

    // The first block at least partly in view, or -1. In a long body the chunk comes first:
    // a block's place in a chunk out of view would lay that chunk out.
    topBlock() {
      let from = 0;
      const body = root();
      if (body && isChunk(body.lastElementChild)) {
        let chunk = body.firstElementChild;
        while (chunk && chunk.getBoundingClientRect().bottom <= 0) {
          chunk = chunk.nextElementSibling;
        }
        from = Math.max(0, nodes.findIndex((list) => list.some((n) => n.parentNode === chunk)));
      }
      for (let b = from; b < nodes.length; b++) {
        for (const node of nodes[b]) {
          if (node.nodeType === Node.ELEMENT_NODE && node.getBoundingClientRect().bottom > 0) {
            return b;
          }
        }
      }
      return -1;
    },

    scrollToId(id) {
      const element = document.getElementById(id);
      if (element) {
        element.scrollIntoView({ block: "start" });
      }
    },

    // The block under the point (CSS pixels in the viewport), or -1 outside the body.
    blockAt(x, y) {
      const body = root();
      let node = document.elementFromPoint(x, y);
      if (!body || !node || !body.contains(node) || node === body || isChunk(node)) {
        return -1;
      }
      while (node.parentNode !== body && !isChunk(node.parentNode)) {
        node = node.parentNode;
      }
      return nodes.findIndex((list) => list.includes(node));
    },

    blockRect(block) {
      const element = blockElement(block);
      if (!element) {
        return null;
      }
      const rect = element.getBoundingClientRect();
      return [rect.left, rect.top, rect.width, rect.height];
    },

    scrollY() {
      return window.scrollY;
    },
  };
  window.__articlePreview = api;
})();
