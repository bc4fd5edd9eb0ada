// Loaded before the Bootstrap Italia bundle: under the strict CSP its video.js must not try to
// inject a <style> element (the styles we need are in the static CSS).
window.VIDEOJS_NO_DYNAMIC_STYLE = true;
