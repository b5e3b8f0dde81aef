"""Service specifications: drafted together, commented on paragraph by paragraph, answered in "you said, we did"."""
