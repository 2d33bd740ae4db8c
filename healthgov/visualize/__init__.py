"""healthgov.visualize"""
