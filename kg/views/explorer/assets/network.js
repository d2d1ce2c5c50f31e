// A person's network, drawn by vis-network (from pyvis's bundle, served by kg itself) from the JSON
// block the page carries. Labels and tooltips are plain text (vis-network 9 draws them on the canvas
// and shows titles with innerText). Marks <body data-network-drawn="N"> once the layout settled.
(function () {
  "use strict";
  var block = document.getElementById("network-data"), box = document.getElementById("network");
  if (!block || !box || typeof vis === "undefined") return;
  var data = JSON.parse(block.textContent);
  var nodes = new vis.DataSet(data.nodes), edges = new vis.DataSet(data.edges);
  var font = '"Noto Sans CJK SC", "Noto Sans SC", "Microsoft YaHei", sans-serif';
  var network = new vis.Network(box, {nodes: nodes, edges: edges}, {
    layout: {randomSeed: 7, improvedLayout: data.nodes.length <= 150},
    physics: {solver: "barnesHut", barnesHut: {gravitationalConstant: -9000, springLength: 150, springConstant: 0.04,
              damping: 0.3, avoidOverlap: 0.7}, stabilization: {iterations: 300, fit: true}},
    nodes: {font: {face: font, size: 14, color: "#222", strokeWidth: 4, strokeColor: "#fff"}, borderWidth: 1,
            scaling: {label: {drawThreshold: 3}}},
    edges: {smooth: false, font: {size: 0}, color: {inherit: false}},
    interaction: {hover: true, tooltipDelay: 150}
  });
  window.kgNetwork = network;
  var done = false;
  function settled() {
    if (done) return;
    done = true;
    network.setOptions({physics: {enabled: false}});
    network.fit();
    document.body.dataset.networkDrawn = String(data.nodes.length);
  }
  network.once("stabilizationIterationsDone", settled);
  if (data.nodes.length === 0) settled();
  network.on("doubleClick", function (params) { open(params); });
  network.on("click", function (params) { if (params.event && params.event.srcEvent && params.event.srcEvent.ctrlKey) open(params); });
  network.on("selectNode", function (params) {
    var node = nodes.get(params.nodes[0]);
    var info = document.getElementById("network-selected");
    if (!info) {
      info = document.createElement("p");
      info.id = "network-selected";
      box.parentNode.insertBefore(info, box.nextSibling);
    }
    info.textContent = "";
    if (node && node.url) {
      var a = document.createElement("a");
      a.href = node.url;
      a.textContent = "open " + node.title.split("\n")[0];
      info.appendChild(a);
      info.appendChild(document.createTextNode(" (or double-click the node)"));
    }
  });
  function open(params) {
    if (!params.nodes.length) return;
    var node = nodes.get(params.nodes[0]);
    if (node && node.url && node.url.charAt(0) === "/") window.location.href = node.url;
  }
})();
