window.YTD.tweets.part0 = [
  {
    "tweet": {
      "id_str": "1001",
      "id": "1001",
      "created_at": "Thu Mar 03 04:23:56 +0000 2016",
      "full_text": "Checkout was slow &amp; the app froze twice https://t.co/abc123",
      "entities": {
        "urls": [
          {
            "url": 