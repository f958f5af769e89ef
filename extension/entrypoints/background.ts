// Background service worker: keeps sync running and updates the badge.
export default defineBackground(() => {
  // filled in by the extension work (issue 7)
});
