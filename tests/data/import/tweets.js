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
            "url": "https://t.co/abc123",
            "expanded_url": "https://shop.example.com/help",
            "display_url": "shop.example.com/help"
          }
        ],
        "hashtags": [],
        "user_mentions": []
      },
      "favorite_count": "3",
      "retweet_count": "1",
      "lang": "en",
      "retweeted": false,
      "in_reply_to_status_id_str": null
    }
  },
  {
    "tweet": {
      "id_str": "1002",
      "created_at": "Fri Mar 04 10:00:00 +0000 2016",
      "full_text": "RT @examplebrand: New store opening &lt;today&gt;",
      "entities": {
        "urls": []
      },
      "favorite_count": "0",
      "retweet_count": "5",
      "lang": "en"
    }
  },
  {
    "tweet": {
      "id_str": "1003",
      "created_at": "Sat Mar 05 12:30:00 +0000 2016",
      "full_text": "@examplebrand thanks, the refund arrived quickly",
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "999",
      "in_reply_to_screen_name": "examplebrand",
      "favorite_count": "1",
      "retweet_count": "0",
      "lang": "en"
    }
  },
  {
    "tweet": {
      "id_str": "1001",
      "created_at": "Thu Mar 03 04:23:56 +0000 2016",
      "full_text": "Checkout was slow &amp; the app froze twice https://t.co/abc123",
      "entities": {
        "urls": []
      },
      "favorite_count": "3",
      "retweet_count": "1",
      "lang": "en"
    }
  }
]