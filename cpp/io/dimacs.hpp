// DIMACS CNF reader: plain text or compressed (gzip / xz / bzip2, detected by
// magic bytes, not by file name). Errors name the file and the line. Files are
// read in chunks (io/input_stream.hpp): memory is that of the formula, however
// much whitespace or comment text surrounds it.
#pragma once
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "io/input_stream.hpp"  // FileError

namespace satmip::io {

// Malformed input: maps to Python ValueError. what() is "FILE:LINE: message".
struct DimacsError : std::invalid_argument {
  std::string file;
  long line;
  DimacsError(const std::string& file, long line, const std::string& msg);
};

struct Cnf {
  int32_t nvars = 0;            // as declared in the header (or grown in lenient mode)
  int64_t nclauses = 0;         // clauses actually read
  int32_t header_vars = 0;      // numbers in the "p cnf V C" line
  int64_t header_clauses = 0;
  std::vector<int32_t> lits;    // all clauses, flat, each terminated by 0
};

// strict = true (the default everywhere): a literal whose variable exceeds the
// header's count, or a clause count differing from the header, is an error.
// strict = false: the formula grows to the largest variable seen and the clause
// count is not checked. A line starting with '%' ends the formula (SATLIB).
// var_limit (0: none but the format's 2^31-2): a literal whose variable exceeds it
// is an error at its line ("exceeds the limit maxvar=", the SAT solver's option).
Cnf read_dimacs_file(const std::string& path, bool strict = true, int64_t var_limit = 0);
Cnf parse_dimacs(const std::string& text, const std::string& name, bool strict = true, int64_t var_limit = 0);

}  // namespace satmip::io
