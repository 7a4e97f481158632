#pragma once
/// \file
/// A self-contained HTML report page: headings, paragraphs, tables and charts drawn by Chart.js,
/// with the library inlined so the page opens with no network. Used by `crsim run --report` and
/// `crsim compare --report`; any command can build a page with it.

#include <cstddef>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace crsim::report {

/// One report page. Add sections in reading order, then html().
class HtmlPage {
public:
    explicit HtmlPage(std::string title);

    /// A section heading.
    void heading(std::string_view text);
    /// A paragraph of plain text.
    void paragraph(std::string_view text);
    /// A table: a header row and rows of plain-text cells.
    void table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows);
    /// A chart: its caption and a Chart.js configuration ({type, data, options}). Animation is turned
    /// off; a dataset with "legendHidden": true (a CI band's edge) is left out of the legend.
    void chart(std::string_view caption, nlohmann::json config);

    /// Machine-readable data carried by the page, as <script type="application/json" id="ID">: the
    /// figures behind the charts, for a reader (or a test) to check them against other outputs.
    void data(std::string_view id, const std::string& json_text);

    /// Charts added so far.
    std::size_t charts() const { return charts_; }

    /// The whole page with `chart_library` (Chart.js's source) inlined. Once every chart has drawn,
    /// the page sets data-charts-drawn="N" on <body>; a chart that fails is counted out and its error
    /// shown in place.
    std::string html(std::string_view chart_library) const;

private:
    std::string title_;
    std::string body_;
    std::string data_;
    std::string configs_;  // the charts' configurations as compact JSON, comma-separated: the page's
                           // JSON array without its brackets (the header then needs only json_fwd.hpp)
    std::size_t charts_ = 0;
};

/// Where Debian's libjs-chart.js puts Chart.js.
inline constexpr const char* chart_library_path = "/usr/share/javascript/chart.js/chart.min.js";

/// Where the report commands read Chart.js: $CRSIM_CHART_JS when set, else chart_library_path.
std::string chart_library_location();

/// Chart.js's source, read from `path`; throws std::runtime_error naming the file and the package
/// to install when it is missing, empty or unreadable.
std::string load_chart_library(const std::string& path = chart_library_location());

}  // namespace crsim::report
