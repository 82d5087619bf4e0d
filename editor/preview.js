/* The editor's preview pane (issue 19): the entry's own page on the live preview, in Chinese or
   English, with the preview's banner for anything only the project can check (a duplicate id, an
   unknown reference, a photo too small, a point outside its district). The page reloads itself
   when the preview has rebuilt after a save. Routes come from the project (window.SHOWCASE_ROUTES,
   written into index.html by generator/editor/admin.py). Decap's bundle provides CMS, h and
   createClass. */
(function () {
  "use strict";
  var routes = window.SHOWCASE_ROUTES || {};
  var note = { padding: "1rem", font: "16px/1.6 sans-serif", color: "#333" };
  var Preview = createClass({
    getInitialState: function () { return { lang: "zh" }; },
    render: function () {
      var self = this;
      var entry = this.props.entry;
      var id = entry.getIn(["data", "id"]);
      var route = routes[this.props.collection.get("name")];
      if (!route) return h("p", { style: note }, "这类内容没有单独的页面。 · This kind of entry has no page of its own.");
      if (!id || entry.get("newRecord")) {
        return h("p", { style: note, "data-sc-preview": "unsaved" },
          "保存后，这里显示网站上的这一页；内容有问题时页面顶部会出现红色提示。 · After saving, the site's page shows here; a problem shows in a red banner at its top.");
      }
      var page = this.props.collection.get("name") === "pages" && id === "home" ? "" : route.replace("{id}", encodeURIComponent(id));
      var path = (this.state.lang === "en" ? "/en/" : "/") + page;
      function button(lang, label) {
        return h("button", { type: "button", "aria-pressed": String(self.state.lang === lang),
          onClick: function () { self.setState({ lang: lang }); },
          style: { marginRight: ".5rem", padding: ".3rem .8rem", font: "inherit", fontWeight: self.state.lang === lang ? 700 : 400 } }, label);
      }
      return h("div", { style: { font: "15px sans-serif" } },
        h("p", { style: { margin: ".5rem" } }, button("zh", "中文页面"), button("en", "English page"),
          h("a", { href: path, target: "_blank", rel: "noopener" }, "在新窗口打开 · open in a new window")),
        h("iframe", { src: path, title: "网站预览 · site preview", "data-sc-preview": path,
          style: { width: "100%", height: "calc(100vh - 5rem)", border: "1px solid #ccc" } }));
    }
  });
  Object.keys(routes).forEach(function (name) { CMS.registerPreviewTemplate(name, Preview); });
})();
