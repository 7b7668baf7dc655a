#pragma once
// A live plot of some of the MetricStore's series. It appends only the points it has not shown
// yet (addData with sorted keys, never setData on every tick) and coalesces redraws into queued
// replots, so it stays smooth at 100k points. Zoom and pan with the mouse; a click on a legend
// entry hides or shows its graph; double-click returns to following the data; the context menu
// exports PNG, SVG or PDF.

#include <QHash>
#include <QStringList>

#include <optional>

#include "ui/QCustomPlotInclude.h"

#include "core/metrics/Smoothing.h"
#include "ui/MetricStore.h"

namespace cvae::ui {

struct PlotSeries {
  QString name;   // key in the MetricStore
  QString label;  // legend text
  QColor color;
  bool scatter = false;  // evaluations are sparse: draw their points
};

class MetricPlot : public QCustomPlot {
  Q_OBJECT
 public:
  MetricPlot(const QString& title, const QString& y_label, QList<PlotSeries> series,
             const MetricStore& store, QWidget* parent = nullptr);

  void setTitle(const QString& title);
  QString title() const;
  // The title as drawn: elided at the end when wider than the plot (tests and diagnostics).
  QString shownTitle() const;
  // Number of points the plot holds for `series` (tests and diagnostics).
  int pointCount(const QString& series) const;
  // The graph that draws `series` (its smoothed curve when smoothing), nullptr for an unknown
  // name: whether it is shown, and its legend entry (tests and diagnostics).
  QCPGraph* seriesGraph(const QString& series) const { return graphs_.value(series, nullptr); }
  // PNG (twice the screen's resolution), SVG or PDF, by the file's extension.
  bool exportImage(const QString& path);
  // Where the export dialog starts and the name it suggests ("RUN-losses"): the run in view.
  void setExportSuggestion(const QString& folder, const QString& name) {
    export_folder_ = folder;
    export_name_ = name;
  }
  // Shows only these series (in graph and legend): an experiment's own scores, say.
  void showOnly(const QStringList& names);
  // Draws another run's series of this plot, dashed, under `run_label`, to compare schedules.
  // Overlays stay while runs come and go, until clearOverlays(). `index` (the overlay's number)
  // picks the run's colour; the dash style tells the series apart.
  void addOverlay(const QString& run_label, const MetricStore& other, int index);
  // Draws a seed group's series as their mean (solid, in the group's colour) inside a shaded
  // ± standard deviation band (core/analysis/SeriesBand), under `group_label` ("name ×3").
  void addBandOverlay(const QString& group_label, const QList<const MetricStore*>& members,
                      int index);
  void clearOverlays();
  // The planned curve of `series` over the whole run (x in epochs), dashed in the series'
  // colour under the applied values, so a schedule edited while paused shows as a change of
  // plan; one legend entry ("planned") names them all. Drawn on the epoch and step axes (a
  // time axis has no future); empty `x` removes it. Kept across runs until replaced.
  void setPlan(const QString& series, const QVector<double>& x, const QVector<double>& y);
  int planPointCount(const QString& series) const;
  QCPGraph* planGraph(const QString& series) const { return plan_graphs_.value(series, nullptr); }
  // Graphs of overlays: a run's series, a group's means and its band edges.
  int overlayGraphCount() const { return static_cast<int>(overlays_.size()); }
  // Points that were inf or NaN: drawn as gaps, each marked by a red tick on the x axis.
  int nonFiniteMarkCount() const { return non_finite_marks_; }
  QCPRange valueRange() const { return yAxis->range(); }

 Q_SIGNALS:
  // The user zoomed or panned the x-axis (not the plot following its data): for linked plots.
  void xRangeChangedByUser(const QCPRange& range);

 public:
  // Zooms the x-axis as a user would (stops following the data; emits xRangeChangedByUser).
  void zoomX(const QCPRange& range);

 public Q_SLOTS:
  // Shows `range` on the x-axis because a linked plot was zoomed: stops following, no signal.
  void showXRange(const QCPRange& range);
  void appendNewPoints();
  void resetFromStore();
  void addMarker(double x);
  // TensorBoard's smoothing of the line series (core/metrics/Smoothing; scatter series, the
  // sparse evaluations, stay raw): the smoothed curve in the series' colour, the raw one faint
  // behind it. 0 shows the raw curves only. Overlays added afterwards are smoothed alike.
  void setSmoothing(double weight);
  // What the hover tooltip shows at `x` (epochs): each shown series' value at the nearest
  // point, overlays included ("epoch 3.25 · total 1.92 · KL 0.41"); empty where none has data.
  QString valuesAt(double x) const;
  // A logarithmic value axis (losses spanning decades); values ≤ 0 are not drawn meanwhile.
  void setLogScale(bool log);
  // The x-axis in epochs (the default), optimizer steps or training time (MetricStore::toAxis):
  // the plot's own series and markers redraw; overlays are drawn once, so whoever added them
  // adds them again (MainWindow does).
  void setXAxis(XAxis axis);
  XAxis xAxisMode() const { return x_axis_; }
  // Whether the x-axis says what it counts ("epoch"). Plots stacked on one x quantity name it
  // once, under the lowest, so each of the others gives its 15 px to the data (and the minimum
  // height shrinks by as much).
  void setXLabelShown(bool shown);
  // Whether the legend fits itself to the plot's height before each replot: 8 pt entries in one
  // column, 7 pt where they do not fit, then more columns (six scores and an overlay in a
  // 100-pixel plot overlapped). Off for a legend its owner arranges (the latent plot's).
  void setLegendFitsHeight(bool fits) { legend_fits_height_ = fits; }
  bool xLabelShown() const { return x_label_shown_; }
  bool logScale() const { return yAxis->scaleType() == QCPAxis::stLogarithmic; }
  double smoothing() const { return smoothing_; }
  // Back to following the data: the axes span every shown point again (View → Reset plot zoom,
  // a double-click, the context menu).
  void resetZoom();

 protected:
  // Fewer value ticks on a short plot, so their labels do not overlap.
  void resizeEvent(QResizeEvent* event) override;
  void mouseDoubleClickEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void contextMenuEvent(QContextMenuEvent* event) override;

 private:
  void followData();  // ranges from every shown graph's data: O(points)
  void redraw();      // the series again from the store, keeping the markers
  XAxis x_axis_ = XAxis::Epoch;
  bool x_label_shown_ = true;
  bool legend_fits_height_ = true;
  int fitted_height_ = -1, fitted_entries_ = -1;  // what the legend was last fitted to
  void fitLegendToHeight();
  QString xLabelText() const;
  void updateTickCount();
  QVector<double> markers_;  // in epochs, as added
  void fitTitle();
  QCPTextElement* title_ = nullptr;
  QString full_title_;
  // Widens the followed ranges by the points just appended, so that following a run costs
  // O(new points) per update rather than a scan of 100k points.
  void followNewPoints(const QCPRange& keys, const QCPRange& values);
  void applyRange();  // axes from data_keys_/data_values_ (both set), with a margin
  // `y` with every non-finite value turned into a gap (NaN), each marked at its x: an inf loss
  // would otherwise take the axis range with it and empty the plot.
  QVector<double> gapsForNonFinite(const QVector<double>& x, const QVector<double>& y);
  void markNonFinite(double x);
  int non_finite_marks_ = 0;
  const MetricStore& store_;
  QList<PlotSeries> series_;
  QHash<QString, QCPGraph*> graphs_;
  QHash<QString, QCPGraph*> raw_graphs_;  // line series: the raw curve while smoothing
  QHash<QString, ExponentialSmoother> smoothers_;
  double smoothing_ = 0;
  bool linking_ = false;  // in showXRange: a linked change, not the user's
  QString export_folder_;
  QString export_name_ = "plot";
  // `y` as drawn: smoothed when smoothing is on and the series is a line.
  QVector<double> smoothed(const PlotSeries& series, const QVector<double>& y,
                           ExponentialSmoother& smoother) const;
  struct Overlay {
    QString series;
    QString run;
    QCPGraph* graph;
    bool band_edge = false;  // a band's lower or upper edge: never in the legend
  };
  static QColor overlayColor(int index);
  void nameOverlaysInLegend();
  QList<Overlay> overlays_;
  void showPlans();  // plan graphs' data in the current axis, shown as their series are
  QHash<QString, Series> plans_;
  QHash<QString, QCPGraph*> plan_graphs_;
  QStringList shown_names_;    // the last showOnly(), which overlays follow too
  QHash<QString, int> shown_;  // points already handed to each graph
  bool following_ = true;      // rescale to the data until the user zooms or pans
  // The shown data's ranges, empty until a shown graph has a finite point.
  std::optional<QCPRange> data_keys_, data_values_;
};

}  // namespace cvae::ui
