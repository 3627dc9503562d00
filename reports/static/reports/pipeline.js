// Draws the pipeline report's funnel, time in stage and sources (embedded as JSON) with Chart.js.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const data = document.getElementById("pipeline-report");
  if (!data || typeof Chart === "undefined") return;
  const report = JSON.parse(data.textContent);
  const options = { responsive: true, maintainAspectRatio: false, animation: false };
  const bar = (id, labels, datasets, extra = {}) =>
    new Chart(document.getElementById(id), { type: "bar", data: { labels, datasets }, options: { ...options, ...extra } });

  bar("funnel-chart", report.funnel.map((stage) => stage.status),
    [{ label: "Reached", data: report.funnel.map((stage) => stage.reached), backgroundColor: "#417690" }],
    { indexAxis: "y" });
  bar("stage-chart", report.timeInStage.map((stage) => stage.status), [
    { label: "Median days", data: report.timeInStage.map((stage) => stage.medianDays), backgroundColor: "#79aec8" },
    { label: "90th percentile days", data: report.timeInStage.map((stage) => stage.p90Days), backgroundColor: "#205067" },
  ]);
  bar("source-chart", report.sources.map((row) => row.source), [
    { label: "Applicants", data: report.sources.map((row) => row.applicants), backgroundColor: "#79aec8" },
    { label: "Hires", data: report.sources.map((row) => row.hires), backgroundColor: "#ba2121" },
  ]);
});
