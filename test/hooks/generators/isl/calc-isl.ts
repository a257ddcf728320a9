/** The example interface the ISL tests share (the one of docs/isl.md). */
export const CALC_ISL = `(* comments like this, may span lines *)
INTERFACE Calc;
TYPE Number = REAL;
TYPE Names = SEQUENCE OF STRING;
TYPE Color = ENUMERATION Red, Green, Blue END;
TYPE Point = RECORD x : REAL, y : REAL END;
EXCEPTION DivideByZero;
EXCEPTION BadName : STRING;
CONSTANT Version : INTEGER = 3;
TYPE Calculator = OBJECT
  METHODS
    SetValue (v : REAL),
    GetValue () : REAL,
    Divide (v : REAL) RAISES DivideByZero END,
    ASYNCHRONOUS Reset ()
  END;
`;
