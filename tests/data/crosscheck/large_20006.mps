NAME
ROWS
 N  obj
 L  R0
 G  R1
 G  R2
 G  R3
 L  R4
 L  R5
 G  R6
 G  R7
 L  R8
 L  R9
 L  R10
 L  R11
 G  R12
 L  R13
 L  R14
 L  R15
 L  R16
COLUMNS
    MARKER  'MARKER'  'INTORG'
    C0  obj  10
    C0  R0  8
    C0  R1  29
    C0  R2  12
    C0  R4  24
    C0  R6  8
    C0  R8  22
    C0  R10  7
    C0  R12  14
    C0  R13  11
    C0  R16  12
    MARKER  'MARKER'  'INTEND'
    C1  obj  3
    C1  R0  29
    C1  R2  12
    C1  R7  22
    C1  R9  29
    C1  R12  21
    C1  R13  12
    C1  R14  6
    C1  R15  19
    C1  R16  26
    MARKER  'MARKER'  'INTORG'
    C2  R0  6
    C2  R7  9
    C2  R9  5
    C2  R11  4
    C2  R13  14
    C2  R16  24
    C3  obj  -10
    C3  R2  15
    C3  R4  7
    C3  R8  5
    C3  R12  2
    C3  R13  10
    C4  obj  -2
    C4  R0  22
    C4  R1  29
    C4  R2  12
    C4  R6  5
    C4  R10  23
    C4  R11  13
    C4  R12  9
    C4  R14  6
    C4  R15  17
    C5  obj  9
    C5  R0  1
    C5  R1  27
    C5  R5  29
    C5  R9  16
    C5  R12  13
    C5  R16  20
    C6  obj  19
    C6  R1  22
    C6  R2  20
    C6  R3  13
    C6  R11  4
    C7  obj  12
    C7  R0  28
    C7  R1  23
    C7  R2  26
    C7  R5  19
    C7  R14  19
    C7  R15  19
    C7  R16  17
    C8  obj  -20
    C8  R2  19
    C8  R3  17
    C8  R4  13
    C8  R5  4
    C8  R6  21
    C8  R9  8
    C8  R13  17
    C8  R14  18
    C9  obj  -12
    C9  R6  25
    C9  R9  8
    C9  R10  2
    C9  R14  7
    C9  R16  8
    C10  obj  10
    C10  R3  3
    C10  R4  9
    C10  R6  13
    C10  R10  9
    C10  R13  4
    C10  R16  22
    C11  obj  -5
    C11  R2  5
    C11  R3  10
    C11  R5  2
    C11  R9  12
    C11  R11  13
    C11  R12  9
    C11  R16  9
    C12  obj  19
    C12  R3  14
    C12  R6  20
    C12  R8  12
    C12  R14  27
    C13  obj  -2
    C13  R1  3
    C13  R7  19
    C13  R9  15
    C13  R12  29
    C13  R15  15
    C13  R16  12
    C14  obj  -7
    C14  R2  5
    C14  R3  6
    C14  R5  19
    C14  R8  20
    C14  R14  5
    C15  obj  -5
    C15  R1  21
    C15  R2  5
    C15  R7  12
    C15  R8  22
    C15  R9  7
    C15  R12  15
    C15  R15  25
    C15  R16  25
    C16  obj  16
    C16  R0  17
    C16  R2  14
    C16  R5  23
    C16  R8  29
    C16  R16  18
    C17  obj  -13
    C17  R1  24
    C17  R3  28
    C17  R6  13
    C17  R11  10
    C17  R15  24
    C17  R16  12
    MARKER  'MARKER'  'INTEND'
    C18  obj  -4
    C18  R4  29
    C18  R7  27
    C18  R8  10
    C18  R12  11
    C18  R13  6
    C18  R15  12
    C18  R16  4
    MARKER  'MARKER'  'INTORG'
    C19  obj  13
    C19  R2  7
    C19  R7  3
    C19  R8  26
    C19  R9  17
    C19  R14  25
    C19  R16  26
    C20  obj  -10
    C20  R6  19
    C20  R11  20
    C20  R12  22
    MARKER  'MARKER'  'INTEND'
RHS
    RHS  R0  94.75792776867675
    RHS  R1  73
    RHS  R2  99.52052183531453
    RHS  R3  60
    RHS  R4  45.316613235798954
    RHS  R5  1e+30
    RHS  R6  30
    RHS  R7  73.66286097508484
    RHS  R8  1e+30
    RHS  R9  99.75792776867675
    RHS  R10  3
    RHS  R11  15
    RHS  R12  77.25514581848276
    RHS  R13  63.344648711686716
    RHS  R14  40.26026091765726
    RHS  R15  85.97241332532572
    RHS  R16  121.34388189409626
RANGES
    RNG  R2  7
    RNG  R3  5
    RNG  R6  5
    RNG  R7  4
BOUNDS
 LO  BND  C0  0
 UP  BND  C0  1
 UP  BND  C1  7.211239865714806
 LO  BND  C2  0
 UP  BND  C2  1
 LO  BND  C3  0
 UP  BND  C3  1
 LO  BND  C4  0
 UP  BND  C4  1
 LO  BND  C5  0
 UP  BND  C5  1
 LO  BND  C6  0
 UP  BND  C6  1
 LO  BND  C7  0
 UP  BND  C7  1
 LO  BND  C8  0
 UP  BND  C8  1
 LO  BND  C9  0
 UP  BND  C9  1
 LO  BND  C10  0
 UP  BND  C10  1
 LO  BND  C11  0
 UP  BND  C11  1
 LO  BND  C12  0
 UP  BND  C12  1
 LO  BND  C13  0
 UP  BND  C13  1
 LO  BND  C14  0
 UP  BND  C14  1
 LO  BND  C15  0
 UP  BND  C15  1
 LO  BND  C16  0
 UP  BND  C16  1
 LO  BND  C17  0
 UP  BND  C17  1
 UP  BND  C18  9.867556380662386
 LO  BND  C19  0
 UP  BND  C19  1
 LO  BND  C20  0
 UP  BND  C20  1
ENDATA
