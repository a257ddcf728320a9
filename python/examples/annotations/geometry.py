"""Shapes, with their annotations kept out of the module's code (an overlay), read only when asked for.

Each annotated object carries a serial number; the overlay 'source code annotations' binds
``__source_annotations__``: serial -> {parameter: annotation source text}. Importing the module costs
nothing for them; ``annotations.py`` loads the overlay on demand.
"""

# Serial numbers of the annotated objects (written by the tool that moved the annotations out).
ANNOTATION_SERIALS = {'area': 1, 'scale': 2, 'Circle': 3}


def area(radius):
    return 3.141592653589793 * radius * radius


def scale(shape, factor=2):
    return [x * factor for x in shape]


class Circle:
    def __init__(self, radius):
        self.radius = radius


overlay 'source code annotations'
__source_annotations__ = {
    1: {'radius': 'float', 'return': 'float'},
    2: {'shape': 'list[float]', 'factor': 'int | float', 'return': 'list[float]'},
    3: {'radius': 'float'},
}
