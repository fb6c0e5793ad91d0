// MPS files (fixed and free format) to and from lp::Model.
//
// The reader implements the dialect of the pure-Python reference reader
// python/satmip/bench/mps.py (see its docstring; it agrees with HiGHS on the
// benchmark files): same sections, conventions, warnings and errors, and the
// same line numbers in error messages. Input may be compressed (gzip, xz,
// bzip2, told apart by magic bytes) and is read as UTF-8, or as Latin-1 when
// it is not valid UTF-8. Two differences, both outside ASCII: only ASCII
// blanks separate fields (Python's split() also splits on U+0085, U+00A0 and
// other Unicode spaces), and keywords are matched ignoring ASCII case only.
//
// The writer produces free MPS that this reader reads back as the same model
// (see format_mps for the few exceptions).
#pragma once
#include <stdexcept>
#include <string>

#include "lp/model.hpp"

namespace satmip::io {

// Malformed MPS: maps to Python ValueError. what() is "FILE:LINE: reason".
struct MpsError : std::invalid_argument {
  std::string file;
  long line;
  std::string reason;  // the message without the location
  MpsError(const std::string& file, long line, const std::string& reason);
};

// How data lines are split into fields. kAuto reads free format and, when that
// fails, fixed format (fields in columns 2-3, 5-12, 15-22, 25-36, 40-47, 50-61,
// which allows names with spaces); if both fail, the error of the reading that
// got further (the later line) is raised.
enum class MpsFormat { kAuto, kFree, kFixed };

// Throws FileError (io/input_stream.hpp) when the file cannot be read and
// MpsError when its contents are not valid MPS. Files are read a chunk at a
// time: memory is that of the model. Two limits the reference reader lacks:
// a line longer than 64 MiB (after cutting blank runs to 80) is an error, and
// so is a NUL byte before ENDATA (the reference has that one too).
lp::Model read_mps_file(const std::string& path, MpsFormat format = MpsFormat::kAuto);
// `name` labels error messages and warnings.
lp::Model parse_mps(const std::string& text, const std::string& name, MpsFormat format = MpsFormat::kAuto);

// Free MPS text for a model. Numbers are written in the shortest form that
// reads back to the same double. Throws std::invalid_argument for a model that
// is inconsistent (array sizes, matrix indices, duplicate entries, NaN,
// infinite costs or coefficients) or that MPS cannot express: a row whose
// lower bound exceeds its upper bound, or a ranged row whose width is 1e30 or
// more. Reading the text back gives the same model, except that
//  * bounds and right-hand sides of magnitude >= 1e30 are infinite in MPS;
//  * a ranged row (both sides finite and different) is written as its lower
//    side and a width R, which readers add back; when no double R makes
//    lower + R equal the upper side exactly (nor upper - R the lower one), as
//    for [-2.432093302035109, 7], one side reads back an ulp off;
//  * explicit zero matrix entries are not written;
//  * a row or column name that free MPS cannot carry (empty, containing
//    whitespace or control characters, a row named 'MARKER', or a name used
//    twice) is changed: such characters become '_', an empty name becomes
//    R<i> / C<i>, and "_<k>" is appended where that would clash; names that are
//    fine are kept, so the usual model reads back with its own names;
//  * the objective row is called "obj" when the model has no objective name;
//  * line breaks in the model name become '_', and whitespace around it is lost;
//  * missing names (row_names / col_names empty) become R<i> / C<i>.
// Integer columns are written inside MARKER blocks with both bounds explicit,
// so the MPSX convention (a marker integer without bounds is binary) never
// applies to them.
std::string format_mps(const lp::Model& model);
// Writes format_mps(model) to a plain (uncompressed) file; FileError on failure.
void write_mps_file(const lp::Model& model, const std::string& path);

}  // namespace satmip::io
