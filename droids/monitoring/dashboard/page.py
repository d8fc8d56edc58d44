"""The dashboard page: one HTML document with everything inlined (no CDN, no network).

Charts are drawn by uPlot (MIT, vendored in static/ with its licence: 50 KB, canvas, fast with
thousands of points): equity with the trailing threshold and the warning and danger levels, and the
drawdown as a share of the allowed drawdown with both levels. Tables: the account's numbers, open
positions, open alerts, recent alerts, performance. The live page (`droid monitor serve`) updates from
server-sent events (/events); the report (`droid monitor report`) carries its state in the page.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

STATIC = Path(__file__).with_name("static")


@cache
def _asset(name: str) -> str:
    return (STATIC / name).read_text(encoding="utf-8")


def render_page(state: dict[str, Any], *, live: bool) -> str:
    data = json.dumps(state, separators=(",", ":")).replace("</", "<\\/")
    title = f"droid monitor: {state.get('account', '')} {state.get('ruleset', '')}".strip()
    return (
        _TEMPLATE.replace("__TITLE__", _html(title))
        .replace("__UPLOT_CSS__", _asset("uPlot.min.css"))
        .replace("__UPLOT_JS__", _asset("uPlot.iife.min.js").replace("</script", "<\\/script"))
        .replace("__STATE__", data)
        .replace("__LIVE__", "true" if live else "false")
    )


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


_TEMPLATE = r"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>__TITLE__</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>__UPLOT_CSS__</style>
<style>
body{font:14px system-ui,sans-serif;margin:16px;color:#222;background:#fafafa}
h1{font-size:18px;margin:0 0 8px} h2{font-size:15px;margin:16px 0 6px}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(170px,1fr));gap:8px}
.card{background:#fff;border:1px solid #ddd;border-radius:6px;padding:8px}
.card b{display:block;font-size:18px} .warn{color:#b26a00} .danger{color:#c00} .ok{color:#080}
table{border-collapse:collapse;background:#fff;width:100%} td,th{border:1px solid #ddd;padding:4px 6px;
text-align:left;font-size:13px} .chart{background:#fff;border:1px solid #ddd;margin-top:8px}
#live{font-size:12px;color:#666}
</style></head><body>
<h1>__TITLE__ <span id="live"></span></h1>
<div class="grid" id="cards"></div>
<div class="chart" id="equity-chart" data-points="0"></div>
<div class="chart" id="drawdown-chart" data-points="0"></div>
<h2>Open positions</h2><table id="positions"></table>
<h2>Open alerts</h2><table id="open-alerts"></table>
<h2>Recent alerts</h2><table id="alerts"></table>
<h2>Performance</h2><table id="performance"></table>
<script>__UPLOT_JS__</script>
<script>
"use strict";
const LIVE = __LIVE__;
let state = __STATE__;
const charts = {};
const FMT={minimumFractionDigits:2,maximumFractionDigits:2};
function money(v){return v==null?"-":"$"+Number(v).toLocaleString("en-US",FMT);}
function pct(v){return v==null?"-":(100*v).toFixed(1)+" %";}
function num(v,d){return v==null?"-":Number(v).toFixed(d==null?2:d);}
function esc(t){return String(t==null?"":t).replace(/[&<>]/g,c=>({"&":"&amp;","<":"&lt;",">":"&gt;"}[c]));}
function table(id, head, rows){
  const el=document.getElementById(id);
  el.innerHTML="<tr>"+head.map(h=>"<th>"+esc(h)+"</th>").join("")+"</tr>"+
    (rows.length?rows.map(r=>"<tr>"+r.map(c=>"<td>"+esc(c)+"</td>").join("")+"</tr>").join(""):
    "<tr><td colspan='"+head.length+"'>none</td></tr>");
}
function cards(s){
  const dd=s.drawdown_share, cls=dd==null?"":dd>=s.danger_at?"danger":dd>=s.warn_at?"warn":"ok";
  const items=[["Equity",money(s.equity)],["Drawdown (of allowed)",'<span class="'+cls+'">'+pct(dd)+"</span>"],
    ["To the threshold",money(s.distance_to_threshold)],["To the danger level",money(s.distance_to_danger)],
    ["Threshold",money(s.threshold)],["High-water mark",money(s.high_water_mark)],
    ["Open positions",(s.positions||[]).length],["Open alerts",(s.open_alerts||[]).length],
    ["Win rate (last 50)",pct(s.win_rate_recent)],["Events",s.events],
    ["Last event (UTC)",esc((s.last_event||"-").replace("T"," ").replace(/\.\d+Z$/,"").replace("Z",""))],
    ["Kill switch",(s.kill_switch||[]).length?'<span class="danger">called</span>':"armed"]];
  document.getElementById("cards").innerHTML=
    items.map(([k,v])=>'<div class="card">'+esc(k)+"<b>"+v+"</b></div>").join("");
}
function plot(id, opts, data){
  const el=document.getElementById(id);
  el.dataset.points=String(data[0].length);
  if(charts[id]){charts[id].setData(data);return;}
  opts.width=Math.max(400,el.clientWidth-2); opts.height=260; opts.axes=[{},{size:80}];
  charts[id]=new uPlot(opts,data,el);
}
function render(s){
  state=s; cards(s);
  const t=(s.series.t||[]).map(x=>x/1000), n=t.length;
  const line=(v)=>Array(n).fill(v);
  plot("equity-chart",{title:"Equity and the trailing threshold",scales:{x:{time:true}},series:[{},
    {label:"equity",stroke:"#1f77b4",width:2},{label:"threshold",stroke:"#c00",dash:[6,4]},
    {label:"danger level",stroke:"#e377c2"},{label:"warning level",stroke:"#ff7f0e"}]},
    [t,s.series.equity,s.series.threshold,s.series.danger,s.series.warn]);
  plot("drawdown-chart",{title:"Drawdown, % of the allowed drawdown",scales:{x:{time:true}},series:[{},
    {label:"drawdown %",stroke:"#9467bd",width:2,fill:"rgba(148,103,189,0.1)"},
    {label:"danger "+pct(s.danger_at),stroke:"#c00",dash:[6,4]},
    {label:"warning "+pct(s.warn_at),stroke:"#ff7f0e",dash:[6,4]}]},
    [t,s.series.drawdown,line(100*s.danger_at),line(100*s.warn_at)]);
  table("positions",["symbol","qty","open for (min)","since data row"],
    (s.positions||[]).map(p=>[p.symbol,p.qty,p.minutes,p.since_row]));
  table("open-alerts",["rule","subject","what"],(s.open_alerts||[]).map(a=>[a.rule,a.subject,a.message]));
  table("alerts",["time (UTC)","rule","state","paged","what"],(s.recent_alerts||[]).map(a=>
    [a.ts,a.rule,a.firing?"firing":"resolved",a.paged?"yes":("no "+(a.note||"")),a.message]));
  const p=s.performance||{};
  table("performance",["trades","win rate","Sharpe","Sortino","Calmar","SQN","trading days","OnTick p99 ms"],
    [[s.trades,pct(s.win_rate),num(p.sharpe),num(p.sortino),num(p.calmar),num(p.sqn),p.trading_days,
      num(s.latency_p99_ms,1)]]);
  document.body.dataset.version=String(s.version);
}
render(state);
if(LIVE){
  const live=document.getElementById("live");
  const es=new EventSource("/events");
  es.onmessage=(e)=>{render(JSON.parse(e.data)); live.textContent="live";};
  es.onerror=()=>{live.textContent="reconnecting";};
}
window.monitorCharts=charts;
</script></body></html>
"""
