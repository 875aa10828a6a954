// Renders this node's own OpenAPI document. The validator badge would send the document to a server outside,
// which the page's Content-Security-Policy forbids and an offline node cannot reach, so it is off.
window.ui = SwaggerUIBundle({
  url: '/openapi.json',
  dom_id: '#docs',
  validatorUrl: null,
  deepLinking: true,
  tryItOutEnabled: false,
});
