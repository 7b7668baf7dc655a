#pragma once
// Save dialogs that suggest a whole file name and give back a path with its extension.

#include <QString>
#include <QStringList>

class QWidget;

namespace cvae::ui {

// `path` with the first of `extensions` appended ("clip" -> "clip.gif") unless it already ends
// in one of them (case-insensitive); empty stays empty (the dialog was cancelled).
QString withExtension(const QString& path, const QStringList& extensions);

// A save dialog that starts in `folder` (when it exists; the current folder otherwise) with
// `name` suggested, for files of `extensions` ("png", "svg", "pdf": the first is the default).
// Returns the chosen path with an allowed extension, or empty when cancelled.
QString askSavePath(QWidget* parent, const QString& title, const QString& folder,
                    const QString& name, const QString& description, const QStringList& extensions);

}  // namespace cvae::ui
