# Installation layout and the Debian package (`cpack -G DEB` in the build folder).
#
# The programs need nothing from the source tree at run time: the presets are compiled in
# (core/config/Presets) and the icons are Qt resources. The presets are installed too, as files
# a user can copy and edit; the completion goes where bash-completion loads it by command name.
include(GNUInstallDirs)

install(TARGETS cvae-cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${CMAKE_SOURCE_DIR}/scripts/cvae-cli-completion.bash
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME cvae-cli)
install(DIRECTORY ${CMAKE_SOURCE_DIR}/configs/
        DESTINATION ${CMAKE_INSTALL_DATADIR}/cvae-workbench/configs)
if(CVAE_BUILD_GUI)
  install(TARGETS cvae-workbench RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
  install(FILES ${CMAKE_SOURCE_DIR}/resources/cvae-workbench.desktop
          DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
  install(FILES ${CMAKE_SOURCE_DIR}/resources/icons/workbench.svg
          DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps RENAME cvae-workbench.svg)
endif()

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME cvae-workbench)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "CVAE Experiment Workbench developers <cvae-workbench@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "Qt workbench and CLI for training and inspecting conditional sequence and video VAEs")
set(CPACK_PACKAGE_DESCRIPTION
    "Trains the tense-conversion CVAE, the spelling seq2seq and an SVG-LP video CVAE on the CPU \
with LibTorch, with KL-annealing and teacher-forcing schedules, live plots, run resume/fork, \
sweeps and run comparison. cvae-workbench is the GUI, cvae-cli the headless tool.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # cvae-workbench_VERSION_amd64.deb
set(CPACK_DEBIAN_PACKAGE_SECTION science)
# Runtime packages of Debian 12 (bookworm), found with objdump -p and dpkg -S on both programs,
# plus what they load or read at run time: OpenBLAS's threaded build (LibTorch falls back to
# reference BLAS without it, ~15x slower), Qt's platform and SVG plugins, and the word lists the
# data makers and presets read (WordNet for the tense data, wamerican for the spelling
# data and the spelling preset's lexicon).
set(CPACK_DEBIAN_PACKAGE_DEPENDS
    "libtorch1.13, libopenblas0-pthread, libqt6core6, libqt6gui6, libqt6widgets6, \
libqt6printsupport6, libqt6svg6, libqcustomplot2.1-qt6, libyaml-cpp0.7, libdlib19.1, libgif7, \
libpng16-16, zlib1g, libstdc++6, libc6, wordnet-base, wamerican")
include(CPack)
