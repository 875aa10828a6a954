// A link to /dashboard#token=... logs in through the form below. The fragment never leaves the browser, so the token
// stays out of the server's and proxies' logs; it is wiped from the address bar and the history at once.
(function () {
  var match = /^#token=(.+)$/.exec(window.location.hash);
  if (!match) return;
  history.replaceState(null, '', window.location.pathname);
  document.getElementById('token').value = decodeURIComponent(match[1]);
  document.querySelector('form').submit();
})();
