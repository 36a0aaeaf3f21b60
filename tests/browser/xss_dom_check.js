// What a page must not hold after hostile input: returns a list of findings (empty: clean).
// Run by tests/browser/test_xss.py through page.evaluate(CHECK, allowedBodyTags).
(allowedBodyTags) => {
  const found = [];
  // Elements our templates never write; a source can only have injected them.
  const forbidden = new Set(["SCRIPT", "IFRAME", "OBJECT", "EMBED", "FRAME", "FRAMESET",
    "APPLET", "BASE", "SVG", "MATH", "STYLE", "TEMPLATE", "NOSCRIPT", "MARQUEE", "VIDEO",
    "AUDIO", "SOURCE", "DETAILS", "TEXTAREA", "XMP", "PLAINTEXT", "LISTING", "NOEMBED",
    "ISINDEX", "KEYGEN", "BGSOUND", "IMAGE", "PORTAL", "HANDLER", "ANIMATE", "SET"]);
  const urlAttributes = new Set(["href", "src", "action", "formaction", "xlink:href", "data",
    "srcset", "background", "poster", "ping", "codebase", "cite", "lowsrc", "dynsrc", "to",
    "values", "from", "by"]);
  // A URL is judged as the browser reads it (the URL parser drops tabs and newlines
  // anywhere and controls at the ends), and, to be safe, with every whitespace and control
  // character removed as well.
  const schemes = /^(javascript|vbscript|data|blob|file|livescript|mocha):/;
  const loose = /[\u0000-\u0020\u007f-\u00a0\u1680\u180e\u2000-\u200f\u205f\u3000\ufeff]/g;
  const dangerous = (value) => {
    let parsed = "";
    try { parsed = new URL(value, document.baseURI).protocol; } catch (e) { parsed = ""; }
    return schemes.test(parsed) || schemes.test(value.replace(loose, "").toLowerCase());
  };
  const head = document.head;
  for (const el of document.querySelectorAll("*")) {
    const tag = el.tagName.toUpperCase();
    const inHead = head && head.contains(el);
    if (tag === "SCRIPT" && inHead && el.type === "application/ld+json") {
      try { JSON.parse(el.textContent); } catch (e) { found.push("JSON-LD does not parse"); }
      continue;
    }
    if (forbidden.has(tag)) found.push(`element <${tag.toLowerCase()}>`);
    if (["META", "LINK", "TITLE"].includes(tag) && !inHead) found.push(`<${tag} outside head`);
    if (tag === "META" && el.httpEquiv) found.push(`meta http-equiv=${el.httpEquiv}`);
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      if (name.startsWith("on")) found.push(`<${tag.toLowerCase()} ${name}>`);
      if (["style", "srcdoc", "target", "formaction"].includes(name)) {
        found.push(`<${tag.toLowerCase()} ${name}>`);
      }
      if (urlAttributes.has(name) && dangerous(attr.value)) {
        found.push(`<${tag.toLowerCase()} ${name}="${attr.value.slice(0, 60)}">`);
      }
    }
  }
  for (const form of document.forms) {
    const action = form.getAttribute("action") || "";
    if (!action.startsWith("/")) found.push(`form action="${action.slice(0, 60)}"`);
  }
  const allowed = new Set(allowedBodyTags);
  for (const el of document.querySelectorAll("article .body *")) {
    const tag = el.tagName.toLowerCase();
    if (!allowed.has(tag)) found.push(`article body holds <${tag}>`);
  }
  return found;
}
