// On phones the on-screen keyboard covers the bottom of the layout viewport; the page sizes itself to the visual
// viewport instead, so the message box stays visible above the keyboard.
export function fitVisualViewport(): void {
  const vv = window.visualViewport;
  const root = document.documentElement;
  const apply = () => root.style.setProperty('--vvh', `${Math.round(vv ? vv.height : window.innerHeight)}px`);
  apply();
  vv?.addEventListener('resize', apply);
  window.addEventListener('resize', apply);
}
