/** Where createApp serves swagger-ui-dist's files (no routes: static files under the page). */
export const DOCS_ASSETS_PATH = '/api/docs/assets';

/**
 * The API explorer's page: swagger-ui from this service's own files, its start script a file too
 * (helmet's CSP allows no inline script). The script reads the token the Globe UI keeps for this
 * tab (sessionStorage `globe-vault.token`, web/src/api/accessToken.ts) and sends it with the
 * document's fetch and every "Try it out"; the Authorize button sets one for this page.
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
  var stored = function () { try { return sessionStorage.getItem('globe-vault.token'); } catch (e) { return null; } };
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
  });
})();
`;
