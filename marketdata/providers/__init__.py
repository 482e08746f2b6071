"""Market-data providers: each turns an outside source into ``PriceBar``s."""
