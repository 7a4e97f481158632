#include "crsim/model/html_page.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace crsim::model {

namespace {

std::string escape(std::string_view text) {
    std::string out;
    for (const char ch : text) {
        switch (ch) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            default: out += ch;
        }
    }
    return out;
}

/// JSON inside a <script>: "</" must not close the element.
std::string script_safe(const std::string& json) {
    std::string out;
    for (std::size_t i = 0; i < json.size(); ++i) {
        if (json[i] == '<' && i + 1 < json.size() && json[i + 1] == '/') out += "<\\";
        else out += json[i];
    }
    return out;
}

constexpr const char* style = R"(body{font-family:sans-serif;max-width:1100px;margin:1em auto;color:#222}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:1.6em}table{border-collapse:collapse;font-size:.85em}
td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}td:first-child,th:first-child{text-align:left}
figure{margin:1em 0}figcaption{font-weight:bold;margin-bottom:.3em}.chart{position:relative;height:320px}
.error{color:#b00})";

constexpr const char* draw_script = R"(
(function () {
  var drawn = 0;
  var configs = JSON.parse(document.getElementById('crsim-charts').textContent);
  configs.forEach(function (config, i) {
    var canvas = document.getElementById('chart-' + i);
    try {
      config.options = config.options || {};
      config.options.animation = false;
      config.options.responsive = true;
      config.options.maintainAspectRatio = false;
      new Chart(canvas.getContext('2d'), config);
      drawn += 1;
    } catch (e) {
      var p = document.createElement('p');
      p.className = 'error';
      p.textContent = 'chart not drawn: ' + e;
      canvas.parentNode.appendChild(p);
    }
  });
  document.body.setAttribute('data-charts-drawn', String(drawn));
})();
)";

}  // namespace

HtmlPage::HtmlPage(std::string title) : title_(std::move(title)) {}

void HtmlPage::heading(std::string_view text) { body_ += "<h2>" + escape(text) + "</h2>\n"; }

void HtmlPage::paragraph(std::string_view text) { body_ += "<p>" + escape(text) + "</p>\n"; }

void HtmlPage::table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows) {
    body_ += "<table>\n<tr>";
    for (const std::string& h : header) body_ += "<th>" + escape(h) + "</th>";
    body_ += "</tr>\n";
    for (const auto& row : rows) {
        body_ += "<tr>";
        for (const std::string& cell : row) body_ += "<td>" + escape(cell) + "</td>";
        body_ += "</tr>\n";
    }
    body_ += "</table>\n";
}

void HtmlPage::chart(std::string_view caption, nlohmann::json config) {
    body_ += "<figure><figcaption>" + escape(caption) + "</figcaption><div class=\"chart\"><canvas id=\"chart-" +
             std::to_string(charts_) + "\"></canvas></div></figure>\n";
    configs_.push_back(std::move(config));
    ++charts_;
}

std::string HtmlPage::html(std::string_view chart_library) const {
    std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + escape(title_) +
                      "</title>\n<style>" + style + "</style>\n<script>\n";
    out += chart_library;
    out += "\n</script>\n</head>\n<body>\n<h1>" + escape(title_) + "</h1>\n" + body_;
    out += "<script type=\"application/json\" id=\"crsim-charts\">" + script_safe(configs_.dump()) + "</script>\n";
    out += std::string("<script>") + draw_script + "</script>\n</body>\n</html>\n";
    return out;
}

std::string load_chart_library(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw std::runtime_error("cannot read the charting library " + path +
                                 ": install the Debian package libjs-chart.js (tools/install-deps.sh does)");
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace crsim::model
