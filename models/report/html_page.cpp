#include "crsim/report/html_page.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

namespace crsim::report {

namespace {

std::string escape(std::string_view text) {
    std::string out;
    for (const char ch : text) {
        switch (ch) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            default:
                out += ch;
        }
    }
    return out;
}

/// JSON inside a <script>: no "</script>" or "<!--" may appear in it, so every '<' (which JSON has
/// only inside strings) is written as the escape \u003c, which reads back the same.
std::string script_safe(const std::string& json) {
    std::string out;
    for (const char ch : json) {
        if (ch == '<')
            out += "\\u003c";
        else
            out += ch;
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
      config.options.plugins = config.options.plugins || {};
      config.options.plugins.legend = config.options.plugins.legend || {};
      config.options.plugins.legend.labels = config.options.plugins.legend.labels || {};
      config.options.plugins.legend.labels.filter = function (item, data) {
        return !data.datasets[item.datasetIndex].legendHidden;
      };
      var chart = new Chart(canvas.getContext('2d'), config);
      // Counted only when the canvas holds painted pixels: a chart that silently drew nothing is not drawn.
      var pixels = chart.ctx.getImageData(0, 0, canvas.width, canvas.height).data;
      var painted = false;
      for (var k = 3; k < pixels.length; k += 4) if (pixels[k] !== 0) { painted = true; break; }
      if (!painted) throw new Error('the canvas stayed empty');
      canvas.setAttribute('data-painted', 'true');
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

void HtmlPage::heading(std::string_view text) { body_.append("<h2>").append(escape(text)).append("</h2>\n"); }

void HtmlPage::paragraph(std::string_view text) { body_.append("<p>").append(escape(text)).append("</p>\n"); }

void HtmlPage::table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows) {
    body_ += "<table>\n<tr>";
    for (const std::string& h : header) body_.append("<th>").append(escape(h)).append("</th>");
    body_ += "</tr>\n";
    for (const auto& row : rows) {
        body_ += "<tr>";
        for (const std::string& cell : row) body_.append("<td>").append(escape(cell)).append("</td>");
        body_ += "</tr>\n";
    }
    body_ += "</table>\n";
}

void HtmlPage::chart(std::string_view caption, nlohmann::json config) {
    body_.append("<figure><figcaption>")
        .append(escape(caption))
        .append("</figcaption><div class=\"chart\"><canvas id=\"chart-")
        .append(std::to_string(charts_))
        .append("\"></canvas></div></figure>\n");
    if (!configs_.empty()) configs_ += ',';
    configs_ += config.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    ++charts_;
}

void HtmlPage::data(std::string_view id, const std::string& json_text) {
    data_.append("<script type=\"application/json\" id=\"")
        .append(escape(id))
        .append("\">")
        .append(script_safe(json_text))
        .append("</script>\n");
}

std::string HtmlPage::html(std::string_view chart_library) const {
    std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>";
    out.append(escape(title_)).append("</title>\n<style>").append(style).append("</style>\n<script>\n");
    out.append(chart_library).append("\n</script>\n</head>\n<body>\n<h1>").append(escape(title_)).append("</h1>\n");
    out.append(body_).append(data_);
    out.append("<script type=\"application/json\" id=\"crsim-charts\">").append(script_safe("[" + configs_ + "]"));
    out.append("</script>\n<script>").append(draw_script).append("</script>\n</body>\n</html>\n");
    return out;
}

std::string chart_library_location() {
    const char* overridden = std::getenv("CRSIM_CHART_JS");
    return overridden && *overridden ? overridden : chart_library_path;
}

std::string load_chart_library(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    if (in) text << in.rdbuf();
    if (!in || text.str().empty())
        throw std::runtime_error("cannot read Chart.js from " + path +
                                 " for the HTML report: install the Debian package libjs-chart.js "
                                 "(tools/install-deps.sh does), or set CRSIM_CHART_JS to a copy of chart.min.js");
    // The library is inlined in a <script> element, which its text must not end early.
    std::string lower = text.str();
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    if (lower.find("</script") != std::string::npos)
        throw std::runtime_error(path + " holds \"</script\", so it cannot be inlined in the report page");
    return text.str();
}

}  // namespace crsim::report
