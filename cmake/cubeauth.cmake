# Helpers shared by every layer's CMakeLists.txt.

# cubeauth_add_library(<layer> SOURCES ... [PUBLIC_LIBS ...] [PRIVATE_LIBS ...])
# defines the STATIC library cubeauth_<layer> and its alias cubeauth::<layer>.
function(cubeauth_add_library layer)
  cmake_parse_arguments(ARG "" "" "SOURCES;PUBLIC_LIBS;PRIVATE_LIBS" ${ARGN})
  add_library(cubeauth_${layer} STATIC ${ARG_SOURCES})
  add_library(cubeauth::${layer} ALIAS cubeauth_${layer})
  target_include_directories(cubeauth_${layer} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(cubeauth_${layer} PUBLIC ${ARG_PUBLIC_LIBS} PRIVATE ${ARG_PRIVATE_LIBS})
endfunction()

# cubeauth_add_test_program(<name> SOURCES ... LIBS ... [LABELS ...])
# One GoogleTest program per layer; every test is discovered into ctest.
function(cubeauth_add_test_program name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/src ${PROJECT_SOURCE_DIR}/tests)
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} GTest::gmock GTest::gtest_main)
  if(NOT ARG_LABELS)
    set(ARG_LABELS unit)
  endif()
  # PRE_TEST: discovery runs when ctest runs, not at build time (sanitizer builds are slow).
  gtest_discover_tests(${name} DISCOVERY_MODE PRE_TEST DISCOVERY_TIMEOUT 60
                       PROPERTIES LABELS "${ARG_LABELS}")
endfunction()

# cubeauth_add_subdirectories(<folder>...): adds each folder that has a CMakeLists.txt
# and is not listed in CUBEAUTH_SKIP.
function(cubeauth_add_subdirectories)
  foreach(folder ${ARGN})
    if(EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/${folder}/CMakeLists.txt AND NOT folder IN_LIST CUBEAUTH_SKIP)
      add_subdirectory(${folder})
    endif()
  endforeach()
endfunction()
