/** Where createApp serves swagger-ui-dist's files (no routes: static files under the page). */
export const DOCS_ASSETS_PATH = '/api/docs/assets';

/**
 * The API explorer's page: swagger-ui from this service's own files, its start script a file too
 * (helmet's CSP allows no inline script). The script reads the token the Globe UI keeps for this
 * tab (sessionStorage `globe-vault.token`, web/src/api/accessToken.ts) and sends it with the
 * document's fetch and every "Try it out"; when the document is refused for want of a token, it
 * asks for one once and keeps it there (this tab only), as the Globe UI does. The Authorize button
 * sets one for "Try it out".
 */
export const DOCS_HTML = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Globe Vault API</title>
  <link rel="stylesheet" href="${DOCS_ASSETS_PATH}/swagger-ui.css">
  <link rel="icon" type="image/png" href="${DOCS_ASSETS_PATH}/favicon-32x32.png">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="${DOCS_ASSETS_PATH}/swagger-ui-bundle.js"></script>
  <script src="/api/docs/init.js"></script>
</body>
</html>
`;

export const DOCS_INIT_JS = `(function () {
  var KEY = 'globe-vault.token';
  var stored = function () { try { return sessionStorage.getItem(KEY); } catch (e) { return null; } };
  var asked = false;
  window.ui = SwaggerUIBundle({
    url: '/api/docs-json',
    dom_id: '#swagger-ui',
    layout: 'BaseLayout',
    deepLinking: true,
    validatorUrl: null,
    requestInterceptor: function (req) {
      var token = stored();
      if (token && !req.headers.Authorization) req.headers.Authorization = 'Bearer ' + token;
      return req;
    },
    // A service that requires tokens refuses the document without one: ask once, keep it for this tab.
    responseInterceptor: function (res) {
      if (res.status === 401 && /\\/api\\/docs-json$/.test(res.url) && !asked) {
        asked = true;
        var token = window.prompt('This service requires an API token (viewer or stronger) to show its API:');
        if (token && token.trim()) {
          try { sessionStorage.setItem(KEY, token.trim()); } catch (e) {}
          setTimeout(function () { window.ui.specActions.download('/api/docs-json'); }, 0);
        }
      }
      return res;
    },
  });
})();
`;
