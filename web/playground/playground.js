// Starts GraphiQL on the playground page (web/playground/index.html). React, ReactDOM and
// GraphiQL are the UMD globals loaded just before this file; no inline script is needed, so
// the page's Content-Security-Policy allows scripts from cubeauth itself only.
(function () {
  'use strict';

  // The page is served by the GraphQL endpoint itself (GET /api), so queries go to the same
  // path, whatever prefix a reverse proxy adds in front of cubeauth.
  var endpoint = window.location.pathname;
  var fetcher = GraphiQL.createFetcher({ url: endpoint });

  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  root.render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: '# Welcome to the cubeauth GraphQL playground.\n{\n  hello\n}\n',
      shouldPersistHeaders: false,
    }),
  );
})();
