#include "ui/SaveDialog.h"

#include <QDir>
#include <QFileDialog>

namespace cvae::ui {

QString withExtension(const QString& path, const QStringList& extensions) {
  if (path.isEmpty() || extensions.isEmpty()) return path;
  for (const auto& extension : extensions)
    if (path.endsWith("." + extension, Qt::CaseInsensitive)) return path;
  return path + "." + extensions.front();
}

QString askSavePath(QWidget* parent, const QString& title, const QString& folder,
                    const QString& name, const QString& description,
                    const QStringList& extensions) {
  const QString start =
      !folder.isEmpty() && QDir(folder).exists() ? QDir(folder).filePath(name) : name;
  QStringList patterns;
  for (const auto& extension : extensions) patterns << "*." + extension;
  const QString filter = QString("%1 (%2)").arg(description, patterns.join(' '));
  return withExtension(QFileDialog::getSaveFileName(parent, title, start, filter), extensions);
}

}  // namespace cvae::ui
