# Settings every Switchboard target shares, applied per target (never globally).
function(switchboard_target_defaults target)
    if(MSVC)
        target_compile_options(${target} PRIVATE /W4 /permissive-)
        if(SWITCHBOARD_WERROR)
            target_compile_options(${target} PRIVATE /WX)
        endif()
    else()
        target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic)
        if(SWITCHBOARD_WERROR)
            target_compile_options(${target} PRIVATE -Werror)
            if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
                # GCC 12 at -O2 reports these inside Qt's inlined QString and QStringBuilder
                # code (memcpy from QString::_empty, GCC bugs 105329, 106199); they stay
                # warnings so that a real one is still seen, but they do not fail the build.
                target_compile_options(${target} PRIVATE
                    -Wno-error=array-bounds -Wno-error=stringop-overflow
                    -Wno-error=stringop-overread -Wno-error=restrict)
            endif()
        endif()
    endif()
    target_compile_definitions(${target} PRIVATE
        QT_NO_URL_CAST_FROM_STRING
        QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
        QT_USE_QSTRINGBUILDER)
endfunction()
