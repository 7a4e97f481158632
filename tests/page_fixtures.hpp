#pragma once
// Reading back what an HTML report embeds (report/html_page.hpp), for the report tests.

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <string>

namespace crsim::test {

/// The text of <script type="application/json" id="ID"> in a page, parsed.
inline nlohmann::json page_data(const std::string& html, const std::string& id) {
    const std::string open = "<script type=\"application/json\" id=\"" + id + "\">";
    const std::size_t from = html.find(open);
    REQUIRE_MESSAGE(from != std::string::npos, id);
    const std::size_t begin = from + open.size();
    const std::size_t end = html.find("</script>", begin);
    REQUIRE(end != std::string::npos);
    return nlohmann::json::parse(html.substr(begin, end - begin));
}

/// A chart's configuration among `configs` (the page's "charts" data) by the start of its caption,
/// escaped as the page has it; the page puts each caption before its canvas.
inline const nlohmann::json& chart_by_caption(const std::string& html, const nlohmann::json& configs,
                                              const std::string& caption) {
    const std::size_t at = html.find("<figcaption>" + caption);
    REQUIRE_MESSAGE(at != std::string::npos, caption);
    const std::string canvas = "<canvas id=\"chart-";
    const std::size_t id = html.find(canvas, at) + canvas.size();
    return configs.at(std::stoul(html.substr(id)));
}

}  // namespace crsim::test
