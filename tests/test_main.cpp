// main() of cvae_tests: runs one registered Qt Test class (TestRegistry.h), as Qt's QTEST_MAIN
// would have in a program of its own. Usage: cvae_tests CLASS [Qt Test options and functions];
// cvae_tests --list names the classes.
#include <QApplication>
#include <QSettings>
#include <QStandardPaths>
#include <QtTest>

#include <cstdio>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "TestRegistry.h"

namespace cvae::test {
namespace {

struct TestClass {
  Application application;
  std::function<std::unique_ptr<QObject>()> make;
};

// A function-local static: registrations run during static initialisation, in any order.
std::map<std::string, TestClass>& registry() {
  static std::map<std::string, TestClass> classes;
  return classes;
}

// The usage and the classes: on stdout when asked for, on stderr after `problem`.
int usage(const char* program, const char* problem) {
  FILE* out = problem ? stderr : stdout;
  if (problem) std::fprintf(out, "%s: %s\n", program, problem);
  std::fprintf(out, "usage: %s CLASS [Qt Test options]\nclasses:", program);
  for (const auto& [name, test_class] : registry()) std::fprintf(out, " %s", name.c_str());
  std::fprintf(out, "\n");
  return problem ? 2 : 0;
}

}  // namespace

bool registerTestClass(const char* name, Application application,
                       std::function<std::unique_ptr<QObject>()> make) {
  registry()[name] = TestClass{application, std::move(make)};
  return true;
}

}  // namespace cvae::test

int main(int argc, char** argv) {
  using namespace cvae::test;
  if (argc < 2) return usage(argv[0], "missing CLASS");
  if (std::strcmp(argv[1], "--list") == 0 || std::strcmp(argv[1], "--help") == 0)
    return usage(argv[0], nullptr);
  const auto found = registry().find(argv[1]);
  if (found == registry().end())
    return usage(argv[0], ("unknown test class '" + std::string(argv[1]) + "'").c_str());
  // Qt Test sees the program and the options after the class name, as if the class were the
  // program: `cvae_tests TestGui -o out.xml,xml oneFunction`.
  std::vector<char*> args{argv[0]};
  args.insert(args.end(), argv + 2, argv + argc);
  int count = static_cast<int>(args.size());
  args.push_back(nullptr);
  std::unique_ptr<QCoreApplication> app;
  if (found->second.application == Application::Widgets)
    app = std::make_unique<QApplication>(count, args.data());
  else
    app = std::make_unique<QCoreApplication>(count, args.data());
  app->setAttribute(Qt::AA_Use96Dpi, true);  // as Qt's QTEST_MAIN sets it
  // Settings go to ~/.qttest, never to the user's: a test's window state or recent files must
  // not be what the developer's workbench opens with next. Each class has its own file, emptied
  // first: classes run side by side (ctest -j 2), and a window state or a choice that one left
  // must not steer another, or the next run of the same.
  QStandardPaths::setTestModeEnabled(true);
  QCoreApplication::setApplicationName(QString("cvae_tests-%1").arg(argv[1]));
  QSettings().clear();
  // The test object is made after the application and destroyed before it, as in QTEST_MAIN.
  const std::unique_ptr<QObject> test_object = found->second.make();
  return QTest::qExec(test_object.get(), count, args.data());
}
