(* A calculator service, in importkit's ILU-ISL subset (docs/isl.md). *)
INTERFACE Calc;

TYPE Number = REAL;
TYPE Point = RECORD x : REAL, y : REAL END;
TYPE Mode = ENUMERATION Exact, Fast END;

EXCEPTION DivideByZero;
CONSTANT Version : INTEGER = 2;

TYPE Calculator = OBJECT
  METHODS
    SetValue (v : Number),
    GetValue () : Number,
    Divide (v : Number) RAISES DivideByZero END,
    ASYNCHRONOUS Reset ()
  END;
