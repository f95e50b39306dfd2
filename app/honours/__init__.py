"""Honours (荣誉体系): categories, nominations with computed evidence, review, the honour roll."""
