// Measures the keyboard focus indicator of every control reached by Tab: its outline width and its contrast
// against the background it is drawn on (WCAG 2.2: focus indicators at least 3:1).
export async function focusRings(page, maxTabs = 40) {
  const seen = [];
  await page.evaluate(() => document.activeElement?.blur());
  for (let i = 0; i < maxTabs; i++) {
    await page.keyboard.press('Tab');
    const r = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      const rgb = (c) => (c.match(/[\d.]+/g) ?? []).map(Number);
      const lum = ([r, g, b]) => {
        const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
        return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
      };
      const s = getComputedStyle(el);
      let bg = null;
      for (let p = el.parentElement; p; p = p.parentElement) {
        const c = rgb(getComputedStyle(p).backgroundColor);
        if (c.length === 3 || (c.length === 4 && c[3] > 0.9)) { bg = c.slice(0, 3); break; }
      }
      bg ??= [255, 255, 255];
      const ring = rgb(s.outlineColor).slice(0, 3);
      const [a, b] = [lum(ring), lum(bg)].sort((x, y) => y - x);
      return {
        name: el.id || el.getAttribute('aria-label') || el.textContent.trim().slice(0, 20) || el.tagName,
        style: s.outlineStyle, width: parseFloat(s.outlineWidth), contrast: Math.round(((a + 0.05) / (b + 0.05)) * 100) / 100,
      };
    });
    if (!r) continue;
    if (seen.some((x) => x.name === r.name)) break;
    seen.push(r);
  }
  return seen;
}
