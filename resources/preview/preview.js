// The live preview's own script. It runs in the page's ApplicationWorld (an isolated world):
// the page itself has JavaScript switched off, so a draft's scripts never run, while the
// editor patches the DOM through these functions. The body's DOM stays exactly the export's:
// ".article-body" holds a "\n" text node, then each block's nodes followed by "\n".
(function () {
  "use strict";
  if (window.__articlePreview) {
    return;
  }
  const LEAD = 1; // the "\n" text node the template puts before the first block
  let counts = []; // top-level nodes each block contributes to .article-body

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
    const total = counts.reduce((sum, n) => sum + n, 0);
    if (body.firstChild && body.firstChild.nodeType === Node.TEXT_NODE) {
      body.firstChild.data = total ? "\n" : "\n\n";
    }
  }

  function firstNodeIndex(block) {
    let index = LEAD;
    for (let i = 0; i < block && i < counts.length; i++) {
      index += counts[i];
    }
    return index;
  }

  function blockElement(block) {
    const body = root();
    if (!body) {
      return null;
    }
    for (let b = Math.max(0, block); b < counts.length; b++) {
      const first = firstNodeIndex(b);
      for (let k = 0; k < counts[b]; k++) {
        const node = body.childNodes[first + k];
        if (node && node.nodeType === Node.ELEMENT_NODE) {
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
      counts = fragments.map((fragment) => fragment.childNodes.length);
      const total = counts.reduce((sum, n) => sum + n, 0);
      const matches = body.childNodes.length === total + LEAD &&
        body.firstChild && body.firstChild.nodeType === Node.TEXT_NODE;
      if (!matches) {
        body.textContent = "\n";
        fragments.forEach((fragment) => body.appendChild(fragment));
      }
      fixLead(body);
      return counts.length;
    },

    // Replace blocks [start, start + removed) with the given blocks' HTML.
    patch(start, removed, blocks) {
      const body = root();
      if (!body) {
        return -1;
      }
      const first = firstNodeIndex(start);
      let removeNodes = 0;
      for (let i = start; i < start + removed; i++) {
        removeNodes += counts[i];
      }
      const after = body.childNodes[first + removeNodes] || null;
      for (let k = 0; k < removeNodes; k++) {
        body.removeChild(body.childNodes[first]);
      }
      const added = [];
      for (const html of blocks) {
        const fragment = parse(html);
        added.push(fragment.childNodes.length);
        body.insertBefore(fragment, after);
      }
      counts.splice(start, removed, ...added);
      fixLead(body);
      return counts.length;
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

    // The first block at least partly in view, or -1.
    topBlock() {
      const body = root();
      if (!body) {
        return -1;
      }
      let node = LEAD;
      for (let b = 0; b < counts.length; b++) {
        for (let k = 0; k < counts[b]; k++) {
          const element = body.childNodes[node + k];
          if (element && element.nodeType === Node.ELEMENT_NODE &&
              element.getBoundingClientRect().bottom > 0) {
            return b;
          }
        }
        node += counts[b];
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
      if (!body || !node || !body.contains(node) || node === body) {
        return -1;
      }
      while (node.parentNode !== body) {
        node = node.parentNode;
      }
      const index = Array.prototype.indexOf.call(body.childNodes, node);
      let position = LEAD;
      for (let b = 0; b < counts.length; b++) {
        if (index < position + counts[b]) {
          return b;
        }
        position += counts[b];
      }
      return -1;
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
