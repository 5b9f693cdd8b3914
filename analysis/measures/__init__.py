"""Every force's measures as data: the layer between methods and the pages that present them."""
