#pragma once
// Every Qt Test class is compiled into one program, cvae_tests (tests/CMakeLists.txt): linking
// LibTorch and Qt once and compiling the sources in a few unity groups costs minutes less than
// one program per source. A test source ends with CVAE_TEST_MAIN(Class) or
// CVAE_TEST_GUILESS_MAIN(Class) where it had Qt's QTEST_MAIN / QTEST_GUILESS_MAIN; ctest runs
// `cvae_tests CLASS [Qt Test options]` once per class, so each class still runs in its own
// process with its own application object.
#include <QObject>

#include <functional>
#include <memory>

namespace cvae::test {

// The application object a class runs under, as Qt's macros choose it: QApplication for
// widget tests (QTEST_MAIN), QCoreApplication for the rest (QTEST_GUILESS_MAIN).
enum class Application { Widgets, Core };

// Adds a class to the program; called by the macros below during static initialisation.
// Returns true so that the macros can keep the call in a static variable.
bool registerTestClass(const char* name, Application application,
                       std::function<std::unique_ptr<QObject>()> make);

}  // namespace cvae::test

#define CVAE_TEST_REGISTER(Class, app)                                        \
  [[maybe_unused]] static const bool cvae_test_registered_##Class =           \
      ::cvae::test::registerTestClass(#Class, ::cvae::test::Application::app, \
                                      [] { return std::unique_ptr<QObject>(new Class); })
#define CVAE_TEST_MAIN(Class) CVAE_TEST_REGISTER(Class, Widgets)
#define CVAE_TEST_GUILESS_MAIN(Class) CVAE_TEST_REGISTER(Class, Core)
